"""Workforce reports (NĐ 145/2020 Điều 4) and the register updates they propose."""

import csv
import datetime

import pytest
from django.core.exceptions import ValidationError

from nhanluc.core.models import AuditEvent
from nhanluc.employers.choices import ProposalStatus, ReportKind, ReportStatus
from nhanluc.employers.models import RegisterProposal, ReportedWorker, WorkforceReport
from nhanluc.employers.proposals import decide_proposal
from nhanluc.employers.reports import WORKER_COLUMNS, PeriodAlreadyFiled, ReportRefused, file_report
from nhanluc.employers.services import register_employer
from nhanluc.registry import services as register
from nhanluc.registry.choices import SourceKind
from tests.registry.helpers import UNEMPLOYED, person

pytestmark = pytest.mark.django_db

HEADER = list(WORKER_COLUMNS.values())
# Name, CCCD, BHXH, birth, sex, title, position, wage, contract, from, to, BHXH from, BHXH to, province
WORKERS = [
    [
        "Trần Thị Bình",
        "031190004567",
        "3119000456",
        "01/05/1990",
        "Nữ",
        "Thợ hàn",
        "4",
        "9.500.000",
        "1",
        "01/03/2026",
        "",
        "01/03/2026",
        "",
        "",
    ],
    [
        "Phạm Văn Đức",
        "001080001111",
        "0108000111",
        "15/02/1980",
        "Nam",
        "Kỹ sư cơ khí",
        "2",
        "25000000",
        "Xác định thời hạn",
        "01/01/2025",
        "31/12/2027",
        "01/01/2025",
        "",
        "",
    ],
    [
        "Hoàng Minh Hải",
        "",
        "",
        "20/10/2001",
        "Nam",
        "Lao động phổ thông",
        "Khác",
        "7000000",
        "3",
        "10/05/2026",
        "",
        "",
        "",
        "31",
    ],
    [
        "Vũ Thị Lan",
        "030195002222",
        "",
        "03/03/1995",
        "Nữ",
        "Nhân viên kế toán",
        "3",
        "11000000",
        "2",
        "01/01/2024",
        "15/04/2026",
        "01/01/2024",
        "15/04/2026",
        "",
    ],
]


def write_list(path, rows=WORKERS, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def employer(admin_user):
    return register_employer(
        data={
            "tax_code": "0100109106",
            "name": "Công ty Cổ phần Cơ khí Chí Linh",
            "ownership": "2",
            "commune_code": "10546",
            "address": "Phường Chí Linh, Thành phố Hải Phòng",
        },
        province_code="31",
        actor=admin_user,
    )


@pytest.fixture
def owner(make_user, employer):
    return make_user("employer", employer_id=employer.pk)


def test_per_worker_list_gives_the_aggregate_figures(tmp_path, employer, owner):
    report = file_report(
        employer=employer,
        year=2026,
        period="h1",
        actor=owner,
        workers_file=write_list(tmp_path / "ds.csv"),
        file_name="ds.csv",
    )
    assert report.kind == ReportKind.PER_WORKER and report.status == ReportStatus.FILED
    # Lan's contract ended on 15/04, before the end of the period (31/05): three workers remain.
    assert report.headcount == 3
    assert (report.female, report.over_35, report.compulsory_insurance) == (1, 2, 2)
    assert (report.managers, report.high_technical, report.mid_technical, report.other_positions) == (
        0,
        1,
        0,
        2,
    )
    assert (report.indefinite_contracts, report.fixed_term_contracts, report.other_contracts) == (1, 1, 1)
    assert (report.hires, report.separations, report.start_headcount) == (2, 1, 2)
    # Đức's CCCD was registered in Hà Nội (001) and he is not in our register; Hải wrote province 31.
    assert report.out_of_province_derived == 1
    assert ReportedWorker.objects.filter(report=report).count() == 4
    assert ReportedWorker.objects.get(full_name="Trần Thị Bình").occupation_code == "7212"
    assert AuditEvent.objects.filter(
        object_type="employers.workforcereport", object_id=str(report.pk)
    ).exists()


def test_row_errors_are_tied_to_row_and_column_and_store_nothing(tmp_path, employer, owner):
    rows = [list(WORKERS[0]), list(WORKERS[1])]
    rows[0][3] = "31/02/1990"
    rows[1][6] = "giám đốc"
    rows[1][1] = rows[0][1]
    with pytest.raises(ReportRefused) as refused:
        file_report(
            employer=employer,
            year=2026,
            period="h1",
            actor=owner,
            workers_file=write_list(tmp_path / "x.csv", rows),
        )
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {(2, "Ngày sinh"), (3, "Vị trí việc làm"), (3, "Số CCCD")}
    assert "Trùng số CCCD với dòng 2" in next(
        p.message for p in refused.value.problems if p.column == "Số CCCD"
    )
    assert not WorkforceReport.objects.exists() and not ReportedWorker.objects.exists()


def test_a_missing_column_is_named(tmp_path, employer, owner):
    header = [name for name in HEADER if name != "Giới tính"]
    rows = [row[:4] + row[5:] for row in WORKERS]
    with pytest.raises(ReportRefused) as refused:
        file_report(
            employer=employer,
            year=2026,
            period="h1",
            actor=owner,
            workers_file=write_list(tmp_path / "x.csv", rows, header),
        )
    assert "Giới tính" in refused.value.problems[0].message


def test_a_list_contradicting_its_aggregate_form_is_refused(tmp_path, employer, owner):
    with pytest.raises(ValidationError) as raised:
        file_report(
            employer=employer,
            year=2026,
            period="h1",
            actor=owner,
            workers_file=write_list(tmp_path / "ds.csv"),
            declared={"headcount": 5, "female": 1},
        )
    assert "Mẫu 02 ghi 5 nhưng danh sách từng người cho 3" in raised.value.message_dict["headcount"][0]
    assert not WorkforceReport.objects.exists()


AGGREGATE = {
    "start_headcount": 118,
    "headcount": 120,
    "female": 70,
    "over_35": 40,
    "compulsory_insurance": 115,
    "managers": 5,
    "high_technical": 10,
    "mid_technical": 25,
    "other_positions": 80,
    "indefinite_contracts": 60,
    "fixed_term_contracts": 55,
    "other_contracts": 5,
    "hires": 12,
    "separations": 10,
    "out_of_province": 30,
}


def test_aggregate_report_then_a_second_filing_must_replace(employer, owner):
    first = file_report(employer=employer, year=2026, period="year", actor=owner, declared=AGGREGATE)
    assert first.kind == ReportKind.AGGREGATE and first.out_of_province == 30
    with pytest.raises(PeriodAlreadyFiled) as already:
        file_report(employer=employer, year=2026, period="year", actor=owner, declared=AGGREGATE)
    assert "Nộp thay thế" in str(already.value)
    second = file_report(
        employer=employer,
        year=2026,
        period="year",
        actor=owner,
        declared=AGGREGATE | {"headcount": 121, "other_positions": 81, "other_contracts": 6, "hires": 13},
        replace=True,
    )
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (ReportStatus.REPLACED, ReportStatus.FILED, 2)
    assert WorkforceReport.objects.filter(employer=employer).count() == 2


def test_inconsistent_or_negative_aggregates_are_refused(employer, owner):
    with pytest.raises(ValidationError) as raised:
        file_report(
            employer=employer, year=2026, period="h1", actor=owner, declared=AGGREGATE | {"female": -1}
        )
    assert "âm" in raised.value.message_dict["female"][0]
    with pytest.raises(ValidationError):
        file_report(
            employer=employer, year=2026, period="h1", actor=owner, declared=AGGREGATE | {"managers": 9}
        )
    assert not WorkforceReport.objects.exists()


def test_a_registered_worker_becomes_a_proposal_an_officer_accepts(tmp_path, employer, owner, make_user):
    officer = make_user("commune_officer", commune_code="10546")
    binh = register.register_person(
        data=person(UNEMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 1, 1)
    )
    file_report(
        employer=employer, year=2026, period="h1", actor=owner, workers_file=write_list(tmp_path / "ds.csv")
    )
    proposal = RegisterProposal.objects.get()
    assert proposal.person == binh and proposal.status == ProposalStatus.PENDING
    assert proposal.proposed["workplace_name"] == "Công ty Cổ phần Cơ khí Chí Linh"
    assert proposal.effective_from == datetime.date(2026, 3, 1)
    # Nothing in the register has changed yet.
    assert binh.situations.get().activity_status == "2"
    # Another commune's officer cannot decide it.
    with pytest.raises(PermissionError):
        decide_proposal(
            proposal=proposal, accept=True, actor=make_user("commune_officer", commune_code="10507")
        )
    decide_proposal(proposal=proposal, accept=True, actor=officer)
    timeline = list(binh.situations.order_by("valid_from"))
    assert [(s.activity_status, s.source) for s in timeline] == [
        ("2", "update"),
        ("1", SourceKind.EMPLOYER_REPORT),
    ]
    assert timeline[0].valid_to == datetime.date(2026, 3, 1)
    assert (
        timeline[1].workplace_name == "Công ty Cổ phần Cơ khí Chí Linh" and timeline[1].contract_type == "1"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.situation == timeline[1]
    with pytest.raises(ValidationError):
        decide_proposal(proposal=proposal, accept=False, actor=officer)


def test_a_rejected_proposal_changes_nothing(tmp_path, employer, owner, make_user):
    officer = make_user("commune_officer", commune_code="10546")
    binh = register.register_person(
        data=person(UNEMPLOYED, commune_code="10546"), actor=officer, valid_from=datetime.date(2026, 1, 1)
    )
    file_report(
        employer=employer, year=2026, period="h1", actor=owner, workers_file=write_list(tmp_path / "ds.csv")
    )
    decide_proposal(proposal=RegisterProposal.objects.get(), accept=False, actor=officer)
    assert binh.situations.get().activity_status == "2"
    assert RegisterProposal.objects.get().status == ProposalStatus.REJECTED


def test_employer_sees_only_its_reports(tmp_path, employer, owner, make_user, admin_user):
    file_report(employer=employer, year=2026, period="year", actor=owner, declared=AGGREGATE)
    other = register_employer(
        data={"tax_code": "0301442379", "name": "Công ty khác"}, province_code="31", actor=admin_user
    )
    file_report(employer=other, year=2026, period="year", actor=admin_user, declared=AGGREGATE)
    assert list(WorkforceReport.objects.visible_to(owner).values_list("employer", flat=True)) == [employer.pk]
    assert WorkforceReport.objects.visible_to(make_user("centre_staff")).count() == 2
