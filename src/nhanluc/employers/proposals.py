"""Reconciling employers' reports with the register.

A worker an employer lists whose CCCD is in the register is proposed as an employment update of that
person: employed, an employee of this employer, with the contract and insurance the report states.
Nothing changes in the register until an officer of the person's commune (or province staff) accepts
it; accepting writes a new labour situation through the register's own service, so the person's
timeline shows both sources: the survey's situation, closed, and the employer's, marked as such.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.catalogs.choices import (
    ActivityStatus,
    ContractType,
    EmploymentStatus,
    SocialInsuranceType,
    WorkplaceType,
)
from nhanluc.core.choices import AuditAction, Role
from nhanluc.core.services import record_event
from nhanluc.employers.choices import ProposalStatus, WorkerContract
from nhanluc.employers.models import RegisterProposal, ReportedWorker, WorkforceReport
from nhanluc.employers.reports import period_bounds
from nhanluc.registry.choices import SourceKind
from nhanluc.registry.forms import initial_from
from nhanluc.registry.models import LaborSituation

PROPOSAL_DECIDERS = frozenset({Role.PROVINCE_ADMIN, Role.CENTRE_STAFF, Role.COMMUNE_OFFICER})
# Contract types of Mẫu 01/PLI as the register records them; a probation or a contract under a month
# says nothing the register's three answers can hold, so it leaves the person's own answer.
CONTRACTS = {
    WorkerContract.INDEFINITE: ContractType.INDEFINITE,
    WorkerContract.FIXED_TERM: ContractType.FIXED_TERM,
}


def proposed_situation(worker: ReportedWorker, report: WorkforceReport) -> dict:
    employer = report.employer
    proposed = {
        "activity_status": ActivityStatus.EMPLOYED.value,
        "employment_status": EmploymentStatus.EMPLOYEE.value,
        "workplace_name": employer.name,
        "workplace_type": WorkplaceType.ENTERPRISE.value,
        "enterprise_ownership": employer.ownership,
        "workplace_address": employer.address,
        "social_insurance_type": (
            SocialInsuranceType.COMPULSORY.value if worker.insurance_from and not worker.insurance_to else ""
        ),
    }
    if worker.contract_type in CONTRACTS:
        proposed["contract_type"] = CONTRACTS[worker.contract_type].value
    if worker.job_title:
        proposed["job_title"] = worker.job_title
    if employer.main_industry_code:
        proposed["industry_code"] = employer.main_industry_code
    return {key: value for key, value in proposed.items() if value}


def _differs(situation: LaborSituation | None, proposed: dict) -> bool:
    if situation is None:
        return True
    return any(
        str(getattr(situation, key, "") or "") != value
        for key, value in proposed.items()
        if key != "job_title"
    )


def propose_register_updates(report: WorkforceReport) -> int:
    """Proposals for the report's workers found in the register whose situation says otherwise."""
    workers = list(
        report.workers.filter(person__isnull=False, person__left_on__isnull=True).select_related("person")
    )
    open_situations = {
        situation.person_id: situation
        for situation in LaborSituation.objects.filter(
            person_id__in=[worker.person_id for worker in workers], valid_to__isnull=True
        )
    }
    _start, end = period_bounds(report.year, report.period)
    proposals = []
    for worker in workers:
        if worker.contract_to and worker.contract_to < end:
            continue  # no longer works there at the end of the period
        proposed = proposed_situation(worker, report)
        current = open_situations.get(worker.person_id)
        if not _differs(current, proposed):
            continue
        effective = max(worker.contract_from or end, current.valid_from if current else end)
        proposals.append(
            RegisterProposal(
                person=worker.person,
                worker=worker,
                province_code=worker.person.province_code,
                commune_code=worker.person.commune_code,
                proposed=proposed,
                effective_from=effective,
                status=ProposalStatus.PENDING,
            )
        )
    RegisterProposal.objects.bulk_create(proposals, batch_size=2000)
    return len(proposals)


def decide_proposal(*, proposal: RegisterProposal, accept: bool, actor, via: str = "web") -> None:
    """Accept (write the employer's situation into the register) or reject a proposal."""
    from nhanluc.registry.services import update_person

    if not (actor.is_superuser or actor.role in PROPOSAL_DECIDERS):
        raise PermissionError(
            _("Chỉ cán bộ xã, Trung tâm Dịch vụ việc làm hoặc quản trị cấp tỉnh xử lý đề xuất.")
        )
    if not RegisterProposal.objects.visible_to(actor).filter(pk=proposal.pk).exists():
        raise PermissionError(_("Đề xuất này không thuộc địa bàn của bạn."))
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("Đề xuất này đã được xử lý."))
    with transaction.atomic():
        if accept:
            person = proposal.person
            current = person.situations.filter(valid_to__isnull=True).first()
            data = initial_from(person, current) | proposal.proposed
            # Employment leaves no room for the answers of the unemployed or the inactive.
            for key in ("unemployment_type", "unemployment_duration", "inactive_reason"):
                data[key] = ""
            valid_from = max(
                proposal.effective_from, current.valid_from if current else proposal.effective_from
            )
            update_person(
                person=person,
                data=data,
                actor=actor,
                valid_from=valid_from,
                source=SourceKind.EMPLOYER_REPORT,
                via=via,
            )
            proposal.situation = person.situations.filter(valid_to__isnull=True).first()
        proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save()
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="employers.registerproposal",
            object_id=proposal.pk,
            object_repr=str(proposal),
            changes={"status": [ProposalStatus.PENDING, proposal.status], "person": proposal.person_id},
            source=via,
            province_code=proposal.province_code,
            commune_code=proposal.commune_code,
        )
