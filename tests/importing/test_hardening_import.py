"""Property-based hardening of the import: arbitrary uploads through the page and arbitrary typed XLSX cells end
in a preview or a clear error, never a server error, and never leave part of a file written."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook

from assessments.importing import FileRejected, data_import
from assessments.models import ImportRecord, Member, MemberAssessment

HEADER = ["card_number", "year", "organization_code", "level", "not_rated_reason", "full_name", "note"]
FUZZ = hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        # Something that starts like a real file, then goes wrong.
        st.binary(max_size=600).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=600).map(lambda tail: ",".join(HEADER).encode() + b"\r\n" + tail),
    ),
    name=st.sampled_from(["ratings.csv", "ratings.xlsx", "ratings.xls", "ratings.xlsm", "ratings.txt", "ratings"]),
    data_type=st.sampled_from(["member_ratings", "members", "unit_ratings", "organizations"]),
)
def test_any_upload_ends_in_a_preview_or_a_form_error_never_a_server_error(
    officer_client, members, data, name, data_type
):
    before = (Member.objects.count(), MemberAssessment.objects.count())
    response = officer_client.post(
        reverse("assessments:import_upload"),
        {"data_type": data_type, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors  # re-shown with the reason, in Vietnamese
    elif response["Location"].split("?")[0] == reverse("assessments:import_upload"):
        page = officer_client.get(response["Location"])  # refused: back on the form, by GET, with the reason
        assert page.context["file_errors"] or page.context["other_errors"]
    else:
        preview = officer_client.get(response["Location"])
        assert preview.status_code == 200
        record = preview.context["record"]
        assert record.status in (
            ImportRecord.Status.VALIDATED,
            ImportRecord.Status.FAILED,
            ImportRecord.Status.REJECTED,
        )
        if record.status != ImportRecord.Status.VALIDATED:
            assert record.message or record.errors
    # The upload is only a dry run: nothing is written until the user confirms.
    assert (Member.objects.count(), MemberAssessment.objects.count()) == before


printable = st.characters(blacklist_categories=("Cs", "Cc"))
cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.text(alphabet=printable, max_size=40),
    st.sampled_from(["2017", 2017, 2017.0, "good", "Hoàn thành tốt nhiệm vụ", "exempt", "BS-DONG-Y-01", "=1+1", " "]),
)


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(data=st.data())
def test_typed_xlsx_cells_end_in_success_or_located_errors_and_all_or_nothing(members, data):
    cards = [m.card_number for m in members]
    real = st.sampled_from(cards)
    rows = data.draw(
        st.lists(
            st.lists(st.one_of(cell, real), min_size=0, max_size=len(HEADER) + 1),
            min_size=1,
            max_size=8,
        )
    )
    try:
        result = data_import(data_type="member_ratings", handle=io.BytesIO(_xlsx([HEADER, *rows])), name="r.xlsx")
    except FileRejected as rejected:
        assert rejected.message
        assert MemberAssessment.objects.count() == 0
        return
    if result.error_count:
        assert MemberAssessment.objects.count() == 0  # one bad row: nothing of the file is kept
        assert not result.written
        for error in result.errors:
            assert error.message and error.row >= 0
    else:
        assert MemberAssessment.objects.count() == result.created
    MemberAssessment.objects.all().delete()
