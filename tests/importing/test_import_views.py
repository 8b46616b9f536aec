"""The upload pages: preview before writing, confirm, errors file, templates, progress, and scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ImportRecord, Member, MemberAssessment, Organization
from tests.importfiles import csv_bytes

pytestmark = pytest.mark.usefixtures("media")

MR = ["card_number", "year", "organization_code", "level", "not_rated_reason", "full_name"]


def login(client, user):
    client.force_login(user)
    return client


def upload(client, data_type, rows, name="tep.csv", **kwargs):
    content = csv_bytes(rows, **kwargs)
    return client.post(
        reverse("assessments:import_upload"),
        {"data_type": data_type, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def upload_workbook(client, data_type, workbook, name):
    out = io.BytesIO()
    workbook.save(out)
    return client.post(
        reverse("assessments:import_upload"), {"data_type": data_type, "file": SimpleUploadedFile(name, out.getvalue())}
    )


def dong_y_rows(members, level="good"):
    mine = [m for m in members if m.organization.code.startswith("BS-DONG-Y")]
    return [MR] + [[m.card_number, 2017, m.organization.code, level, "", m.full_name] for m in mine]


def test_upload_previews_then_confirm_writes(client, members, secretary_dong_y):
    login(client, secretary_dong_y)
    response = upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    assert response.url == reverse("assessments:import_preview", args=[record.pk])
    assert record.status == ImportRecord.Status.VALIDATED and record.created == 6
    assert MemberAssessment.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "Xác nhận ghi dữ liệu" in page and "6 thêm mới" in page
    client.post(reverse("assessments:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.SUCCEEDED
    assert MemberAssessment.objects.count() == 6
    assert MemberAssessment.history.filter(history_user=secretary_dong_y).count() == 6
    # Confirming twice does not import twice.
    client.post(reverse("assessments:import_confirm", args=[record.pk]))
    assert MemberAssessment.history.count() == 6


def test_preview_lists_errors_and_the_errors_file_can_be_fixed_and_uploaded_again(client, members, secretary_dong_y):
    login(client, secretary_dong_y)
    rows = dong_y_rows(members)
    rows[2][3] = "tuyệt vời"
    upload(client, "member_ratings", rows)
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.FAILED
    page = client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()
    assert "Xác nhận ghi dữ liệu" not in page
    assert '<td class="num">3</td><td>level</td>' in page  # the column as the file's header names it
    response = client.get(reverse("assessments:import_errors", args=[record.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].endswith(",Lỗi")
    assert "level:" in lines[2] and lines[1].endswith(",")
    fixed = text.replace("tuyệt vời", "good").encode("utf-8")
    client.post(
        reverse("assessments:import_upload"),
        {"data_type": "member_ratings", "file": SimpleUploadedFile("fixed.csv", fixed, "text/csv")},
    )
    assert ImportRecord.objects.latest("pk").status == ImportRecord.Status.VALIDATED


def test_secretary_cannot_see_or_confirm_another_communes_import(
    client, members, secretary_dong_y, secretary_nhat_tien
):
    login(client, secretary_nhat_tien)
    upload(
        client,
        "members",
        [
            ["card_number", "full_name", "organization_code", "status"],
            ["88", "Hoàng Văn Tám", "BS-NHAT-TIEN-01", "official"],
        ],
    )
    record = ImportRecord.objects.get()
    client.logout()
    login(client, secretary_dong_y)
    for name in ("import_preview", "import_progress", "import_errors"):
        assert client.get(reverse(f"assessments:{name}", args=[record.pk])).status_code == 404
    assert client.post(reverse("assessments:import_confirm", args=[record.pk])).status_code == 404
    assert not Member.objects.filter(card_number="88").exists()


def test_out_of_scope_rows_are_errors_naming_the_row(client, members, secretary_dong_y):
    login(client, secretary_dong_y)
    theirs = next(m for m in members if m.organization.code.startswith("BS-NHAT-TIEN"))
    rows = dong_y_rows(members) + [[theirs.card_number, 2017, theirs.organization.code, "good", "", ""]]
    upload(client, "member_ratings", rows)
    record = ImportRecord.objects.get()
    assert record.errors == [[8, "card_number", record.errors[0][2]]]


def test_officer_sees_commune_imports_but_only_the_uploader_confirms(client, members, secretary_dong_y, officer):
    login(client, secretary_dong_y)
    upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    client.logout()
    login(client, officer)
    assert client.get(reverse("assessments:import_preview", args=[record.pk])).status_code == 200
    # In scope but not the uploader: refused (403), and nothing is written.
    assert client.post(reverse("assessments:import_confirm", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.VALIDATED


def test_leader_cannot_upload(client, tree, leader):
    login(client, leader)
    assert client.get(reverse("assessments:import_upload")).status_code == 403
    assert client.get(reverse("assessments:import_template", args=["members"])).status_code == 403


def test_secretary_cannot_choose_organizations(client, tree, secretary_dong_y):
    login(client, secretary_dong_y)
    response = upload(client, "organizations", [["code", "name", "kind", "parent_code"]])
    assert response.status_code == 302 and ImportRecord.objects.count() == 0
    page = client.get(response["Location"])
    assert page.context["other_errors"] and page.context["form"]["data_type"].value() == "member_ratings"
    # A type that exists but the role may not import: refused (403); a type that does not exist: 404.
    assert client.get(reverse("assessments:import_template", args=["organizations"])).status_code == 403
    assert client.get(reverse("assessments:import_template", args=["no_such_type"])).status_code == 404


def test_unsafe_or_fake_files_are_refused_at_upload(client, tree, officer):
    login(client, officer)
    response = client.post(
        reverse("assessments:import_upload"),
        {"data_type": "members", "file": SimpleUploadedFile("x.xlsx", b"card_number\n")},
    )
    # Back to the upload page by GET (a reload shows the page, never re-posts), the type kept, the reason shown.
    assert response.status_code == 302 and response["Location"].startswith(reverse("assessments:import_upload"))
    page = client.get(response["Location"])
    assert "xlsx" in page.content.decode() and page.context["form"]["data_type"].value() == "members"
    assert client.get(response["Location"]).context["file_errors"] == []  # shown once
    assert ImportRecord.objects.count() == 0


def test_template_has_vietnamese_titles_and_a_guide(client, tree, officer):
    login(client, officer)
    response = client.get(reverse("assessments:import_template", args=["unit_ratings"]))
    workbook = load_workbook(io.BytesIO(response.content))
    first, guide, lists = workbook.worksheets
    assert [c.value for c in first[1]][:3] == ["Mã tổ chức", "Năm", "Xếp loại"]
    guide_text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "clean_strong" in guide_text and "Trong sạch, vững mạnh" in guide_text and "qd132-2018" in guide_text
    assert "Quy định 132-QĐ/TW" in guide_text
    # The level columns offer the latest scheme's Vietnamese labels as an Excel drop-down list; so does the period
    # column (issue 15), last.
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in first.data_validations.dataValidation}
    period = next(c.column_letter for c in first[1] if c.value == "Kỳ đánh giá")
    assert set(validations) == {"C2", "D2", f"{period}2"} and lists.sheet_state == "hidden"
    column = validations["C2"].split("!")[1].split(":")[0].replace("$", "")[0]
    offered = [row[0] for row in lists.iter_rows(min_col=ord(column) - 64, max_col=ord(column) - 64, values_only=True)]
    assert "Hoàn thành xuất sắc nhiệm vụ" in offered and "excellent" not in offered


def test_member_ratings_template_is_prefilled_with_the_secretarys_members(client, members, secretary_dong_y):
    login(client, secretary_dong_y)
    response = client.get(reverse("assessments:import_template", args=["member_ratings"]) + "?year=2017")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số thẻ đảng viên" and len(rows) == 1 + 6
    assert {r[2] for r in rows[1:]} == {"BS-DONG-Y-01", "BS-DONG-Y-02"} and {r[1] for r in rows[1:]} == {2017}


def test_filled_template_imports(client, members, secretary_dong_y, tmp_path):
    login(client, secretary_dong_y)
    response = client.get(reverse("assessments:import_template", args=["member_ratings"]) + "?year=2017")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        row[3].value = "good"
    upload_workbook(client, "member_ratings", workbook, "mau.xlsx")
    record = ImportRecord.objects.get()
    assert (record.status, record.created) == (ImportRecord.Status.VALIDATED, 6), record.errors


def test_large_file_runs_in_a_task_and_the_progress_page_survives_a_reload(
    client, members, secretary_dong_y, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from bacson.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # this test plays the worker, even with a real broker
    settings.IMPORT_ASYNC_ROWS = 2
    login(client, secretary_dong_y)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.VALIDATING
    page = client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page and "<script>" not in page
    progress = client.get(reverse("assessments:import_progress", args=[record.pk]))
    assert "HX-Refresh" not in progress
    for callback in callbacks:
        callback()  # the worker runs the task
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.VALIDATED
    assert client.get(reverse("assessments:import_progress", args=[record.pk]))["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.SUCCEEDED and MemberAssessment.objects.count() == 6


def test_upload_page_lists_recent_imports_in_few_queries(
    client, members, secretary_dong_y, django_assert_max_num_queries
):
    login(client, secretary_dong_y)
    for _ in range(4):
        upload(client, "member_ratings", dong_y_rows(members))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assessments:import_upload")).content.decode()
    assert page.count("tep.csv") == 4


def test_errors_file_of_an_xlsx_upload_is_xlsx_with_the_error_next_to_the_row(client, members, officer):
    login(client, officer)
    workbook_rows = dong_y_rows(members)
    workbook_rows[1][3] = "clean_strong"  # a unit level in a member file
    from openpyxl import Workbook

    workbook = Workbook()
    for row in workbook_rows:
        workbook.active.append(row)
    upload_workbook(client, "member_ratings", workbook, "xl.xlsx")
    record = ImportRecord.objects.get()
    response = client.get(reverse("assessments:import_errors", args=[record.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values)
    assert rows[0][-1] == "Lỗi" and rows[1][-1].startswith("level:") and not rows[2][-1]


def test_preview_shows_what_an_update_changes(client, members, officer):
    login(client, officer)
    rows = dong_y_rows(members)
    upload(client, "member_ratings", rows)
    client.post(reverse("assessments:import_confirm", args=[ImportRecord.objects.get().pk]))
    rows[1][3] = "excellent"
    upload(client, "member_ratings", rows)
    record = ImportRecord.objects.latest("pk")
    assert (record.updated, record.unchanged) == (1, 5)
    name = rows[1][5]
    cell = Organization.objects.get(code=rows[1][2])
    assert record.changes == [
        {
            "row": 2,
            "action": "updated",
            "key": f"{rows[1][0]}/2017",
            "cells": [
                ["Họ và tên", name],
                ["Mã chi bộ", f"{cell.name} ({cell.code})"],
                ["Xếp loại", "Hoàn thành xuất sắc nhiệm vụ"],
            ],
            "changed": ["Xếp loại"],
        }
    ]
    page = client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in page and "level=excellent" not in page and "excellent" not in page


def test_a_long_preview_is_paginated_and_keeps_the_way_back(client, members, secretary_dong_y):
    login(client, secretary_dong_y)
    rows = dong_y_rows(members)
    response = client.post(
        reverse("assessments:import_upload"),
        {
            "data_type": "member_ratings",
            "next": "/portal/",
            "file": SimpleUploadedFile("tep.csv", csv_bytes(rows), "text/csv"),
        },
    )
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("assessments:import_preview", args=[record.pk]) + "?next=%2Fportal%2F"
    record.changes = record.changes * 10  # 60 rows
    record.save()
    first = client.get(response["Location"]).content.decode()
    assert first.count("thêm mới</td>") == 25 and "Trang 1/3" in first
    assert 'name="next" value="/portal/"' in first
    confirmed = client.post(reverse("assessments:import_confirm", args=[record.pk]), {"next": "/portal/"}, follow=True)
    assert ImportRecord.objects.get().status == "succeeded", ImportRecord.objects.get().errors
    assert 'href="/portal/" id="import-back"' in confirmed.content.decode()
    # A link to another site is not a way back.
    page = client.get(reverse("assessments:import_preview", args=[record.pk]) + "?next=https://evil.example/")
    assert 'href="https://evil.example/"' not in page.content.decode() and not page.context["next_url"]


def test_an_unexpected_failure_in_the_task_ends_the_wait(client, members, secretary_dong_y, settings, monkeypatch):
    import assessments.importing.records as records

    def broken(**kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(records, "data_import", broken)
    login(client, secretary_dong_y)
    with pytest.raises(RuntimeError):
        upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.FAILED and not record.is_running
    assert "RuntimeError" in client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()


def test_error_file_of_a_record_without_a_stored_file_is_not_found(client, members, secretary_dong_y):
    record = ImportRecord.objects.create(
        user=secretary_dong_y,
        organization=secretary_dong_y.organization,
        data_type="member_ratings",
        file_name="mat.csv",
    )
    login(client, secretary_dong_y)
    assert client.get(reverse("assessments:import_preview", args=[record.pk])).status_code == 200
    assert client.get(reverse("assessments:import_errors", args=[record.pk])).status_code == 404
