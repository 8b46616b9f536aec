"""Many accounts from one file (create_accounts), and every user changing their own password."""

import csv
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Role, User

pytestmark = pytest.mark.django_db

HEADER = "username,role,organization_code,full_name\n"


def _run(tmp_path, text: str, name: str = "accounts.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    out = tmp_path / "passwords.csv"
    return path, out


def test_accounts_are_created_with_passwords_only_their_owner_can_read(tree, tmp_path, client):
    path, out = _run(tmp_path, "Tên đăng nhập;Vai trò;Mã tổ chức;Họ và tên\n"  # Vietnamese titles, Excel's ";"
                     "bt.dongy;secretary;BS-DONG-Y;Lương Văn Đồng\n"
                     "bt.nhattien;Bí thư cơ sở;BS-NHAT-TIEN;Dương Văn Rum\n"
                     "cb.binh;officer;BS;Nguyễn Hữu Bình\n")  # fmt: skip
    call_command("create_accounts", str(path), "--passwords-out", str(out))

    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with out.open(encoding="utf-8") as handle:
        passwords = {row["username"]: row["password"] for row in csv.DictReader(handle)}
    assert set(passwords) == {"bt.dongy", "bt.nhattien", "cb.binh"}
    assert len(set(passwords.values())) == 3 and all(len(p) >= 16 for p in passwords.values())
    rum = User.objects.get(username="bt.nhattien")
    assert (rum.role, rum.organization.code, rum.get_full_name()) == (Role.SECRETARY, "BS-NHAT-TIEN", "Dương Văn Rum")
    # The generated password works on the login page.
    response = client.post("/accounts/login/", {"username": "bt.nhattien", "password": passwords["bt.nhattien"]})
    assert response.status_code == 302 and client.get("/accounts/password/").status_code == 200


def test_any_bad_row_creates_no_account_and_names_file_row_and_column(tree, tmp_path, capsys):
    path, out = _run(tmp_path, HEADER
                     + "bt.dongy,secretary,BS-DONG-Y,Lương Văn Đồng\n"
                     + "bt.x,chủ tịch,BS-DONG-Y,\n"  # no such role
                     + "bt.y,secretary,KHONG-CO,\n"  # no such organization
                     + "bt.z,secretary,BS,\n"  # a secretary belongs to a grassroots organization
                     + "bt.dongy,officer,BS,\n")  # the same username twice  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        call_command("create_accounts", str(path), "--passwords-out", str(out))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"{path}:3:role:" in err and "chủ tịch" in err
    assert f"{path}:4:organization_code:" in err and "KHONG-CO" in err
    assert f"{path}:5:organization_code:" in err
    assert f"{path}:6:username:" in err
    assert not User.objects.filter(username__startswith="bt.").exists()
    assert not out.exists()  # no passwords file for accounts that do not exist


def test_an_existing_account_or_passwords_file_is_refused(tree, officer, tmp_path, capsys):
    path, out = _run(tmp_path, HEADER + "binh,officer,BS,\n")
    with pytest.raises(SystemExit):
        call_command("create_accounts", str(path), "--passwords-out", str(out))
    assert f"{path}:2:username:" in capsys.readouterr().err

    path, out = _run(tmp_path, HEADER + "moi,officer,BS,\n")
    out.write_text("do not overwrite\n")
    with pytest.raises(CommandError) as error:
        call_command("create_accounts", str(path), "--passwords-out", str(out))
    assert str(out) in str(error.value) and out.read_text() == "do not overwrite\n"
    assert not User.objects.filter(username="moi").exists()


def test_a_file_that_is_not_a_table_or_lacks_a_column_is_refused(tree, tmp_path, capsys):
    path, out = _run(tmp_path, "%PDF-1.7 not a table", name="accounts.xlsx")
    with pytest.raises(CommandError) as error:
        call_command("create_accounts", str(path), "--passwords-out", str(out))
    assert "xlsx" in str(error.value) and not out.exists()

    path, out = _run(tmp_path, "username,organization_code\nmoi,BS\n")
    with pytest.raises(SystemExit):
        call_command("create_accounts", str(path), "--passwords-out", str(out))
    assert f"{path}:1:role:" in capsys.readouterr().err and not out.exists()


def test_a_user_changes_their_own_password(client, secretary_dong_y):
    client.force_login(secretary_dong_y)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    new = {"new_password1": "Dong-Y-moi-2026!", "new_password2": "Dong-Y-moi-2026!"}
    wrong = client.post("/accounts/password/", {"old_password": "sai", **new})
    assert wrong.status_code == 200 and not User.objects.get(pk=secretary_dong_y.pk).check_password("Dong-Y-moi-2026!")
    done = client.post("/accounts/password/", {"old_password": "mat-khau-thu-nghiem-2017", **new}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/password/done/"
    assert User.objects.get(pk=secretary_dong_y.pk).check_password("Dong-Y-moi-2026!")
    assert client.get("/accounts/password/").status_code == 200  # still logged in on this browser


def test_changing_a_password_needs_a_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
