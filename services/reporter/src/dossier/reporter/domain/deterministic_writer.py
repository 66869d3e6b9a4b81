"""The default report writer: rules and templates, no model, same input → same report.

Every strength, risk, evidence and validation item is built from one or more findings and
cites their ids, so a reader can always trace a sentence back to its source. The text
around the quoted findings comes from the phrasebook of the requested language.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dossier.contracts.api import Citation, QuickSignal, Recommendation, Report, Signal
from dossier.contracts.claims import CvClaims, Education, Employment
from dossier.contracts.enums import Confidence, Decision, Reliability, SourceType, Stance
from dossier.reporter.domain import cv_facts
from dossier.reporter.domain import wording as w
from dossier.reporter.domain.catalogue import phrasebook
from dossier.reporter.domain.phrases import Phrasebook, by_count, join_names, source_name
from dossier.reporter.domain.recommendation import (
    Outcome,
    Rule,
    by_reliability,
    claim_area,
    corroborating,
    identity_in_doubt,
    is_contradiction,
    is_external,
    is_sanctions_hit,
    is_support,
    origin,
    recommend_for,
    reliability_rank,
)
from dossier.reporter.domain.report_input import ReportInput

#: Most items per list: a report is read in two minutes, not audited line by line.
MAX_ITEMS = 8
#: Most findings one "sources not consulted" item cites.
MAX_IDS_PER_ITEM = 3


@dataclass(frozen=True)
class Item:
    """One line of a report list, the findings it rests on, and what to ask about it."""

    text: str
    signal_ids: tuple[str, ...]
    question: str | None = None


def _ids(signals: Iterable[Signal]) -> tuple[str, ...]:
    return tuple(s.id for s in signals if s.id is not None)


class DeterministicWriter:
    """Writes a `Report` from a `ReportInput` with the recommendation rules and the phrasebook."""

    def write(self, inp: ReportInput) -> Report:
        book = phrasebook(inp.language)
        signals = inp.citable_signals
        outcome = recommend_for(inp)
        evidence = [self._evidence_item(s, book) for s in outcome.evidence]
        strengths = self._strengths(signals, book)[:MAX_ITEMS]
        risks = self._risks(signals, book)[:MAX_ITEMS]
        to_validate = self._to_validate(inp, signals, book)[:MAX_ITEMS]
        questions = list(dict.fromkeys(i.question for i in to_validate if i.question))

        return Report(
            candidate_name=inp.candidate_name,
            recommendation=Recommendation(
                decision=outcome.decision,
                confidence=outcome.confidence,
                reason=self._reason(outcome, inp, signals, book),
                evidence=[i.text for i in evidence],
            ),
            summary=self._summary(inp, signals, outcome, bool(to_validate), book),
            strengths=[i.text for i in strengths],
            what_to_validate=[i.text for i in to_validate],
            risks=[i.text for i in risks],
            interview_questions=questions[:MAX_ITEMS],
            sources=list(inp.sources),
            citations=[
                *_citations("recommendation.evidence", evidence),
                *_citations("strengths", strengths),
                *_citations("whatToValidate", to_validate),
                *_citations("risks", risks),
            ],
            notice=book.notice,
        )

    # --- recommendation -------------------------------------------------------------

    @staticmethod
    def _reason(
        outcome: Outcome, inp: ReportInput, signals: Sequence[Signal], book: Phrasebook
    ) -> str:
        key = outcome.rule.value
        count = 0
        if outcome.rule is Rule.CONTRADICTIONS:
            count = sum(1 for s in signals if is_contradiction(s))
            key = "contradictions_one" if count == 1 else "contradictions_other"
        elif outcome.rule is Rule.CORROBORATED:
            count = len({origin(s) for s in corroborating(signals)})
        return book.reasons[key].format(name=inp.candidate_name, n=count)

    @staticmethod
    def _evidence_item(signal: Signal, book: Phrasebook) -> Item:
        if is_sanctions_hit(signal):
            text = book.lead_sanctions
        elif signal.stance is Stance.SUPPORTS:
            text = book.lead_confirms
        elif signal.stance is Stance.CONTRADICTS:
            text = book.lead_contradicts
        else:
            text = book.lead_noted
        return Item(w.lead(text, signal, book), _ids([signal]))

    # --- summary --------------------------------------------------------------------

    @staticmethod
    def _summary(
        inp: ReportInput,
        signals: Sequence[Signal],
        outcome: Outcome,
        has_points: bool,
        book: Phrasebook,
    ) -> str:
        candidate = inp.context.candidate
        name, role, company = inp.candidate_name, candidate.role, candidate.company
        sentences: list[str] = []
        if role and company:
            sentences.append(book.intro_role_company.format(name=name, role=role, company=company))
        elif role:
            sentences.append(book.intro_role.format(name=name, role=role))
        elif company:
            sentences.append(book.intro_company.format(name=name, company=company))

        quick = inp.identity.quick_signal
        sentences.append(
            book.identity_by_level[identity_wording(quick)].format(
                confidence=book.levels[quick.identity_confidence.value]
            )
        )

        about_cv = [s for s in signals if s.source_type is not SourceType.SANCTIONS]
        supports = sum(1 for s in about_cv if is_support(s))
        contradictions = sum(1 for s in about_cv if is_contradiction(s))
        if not signals:
            sentences.append(book.no_findings)
        else:
            sentences.append(
                book.findings_sentence.format(
                    supports=by_count(supports, book.supports_count),
                    contradictions=by_count(contradictions, book.contradictions_count),
                )
            )

        missing = [source_name(source.name, book) for source in inp.sources_not_consulted]
        if missing:
            form = book.sources_missing_sentence[0 if len(missing) == 1 else 1]
            sentences.append(form.format(names=join_names(missing, book)))

        if outcome.decision is Decision.GO or has_points:
            sentences.append(book.conclusion_by_decision[outcome.decision.value])
        else:
            sentences.append(book.conclusion_without_points)
        return " ".join(sentences)

    # --- lists ----------------------------------------------------------------------

    @staticmethod
    def _strengths(signals: Sequence[Signal], book: Phrasebook) -> list[Item]:
        solid = [s for s in signals if is_support(s) and s.reliability is not Reliability.LOW]
        ordered = by_reliability([s for s in solid if is_external(s)]) + by_reliability(
            [s for s in solid if not is_external(s)]
        )
        return [
            Item(w.lead(w.capitalized(w.area_label(s, book)), s, book), _ids([s])) for s in ordered
        ]

    @staticmethod
    def _risks(signals: Sequence[Signal], book: Phrasebook) -> list[Item]:
        hits = [s for s in signals if is_sanctions_hit(s)]
        contradictions = [s for s in signals if is_contradiction(s)]
        undisclosed = [
            s
            for s in signals
            if s.source_type is SourceType.COMPANY_REGISTRY and s.stance is Stance.NEUTRAL
        ]
        items = [
            Item(w.lead(book.lead_sanctions, s, book), _ids([s])) for s in by_reliability(hits)
        ]
        items += [
            Item(
                w.lead(book.lead_contradicts_area.format(area=w.area_label(s, book)), s, book),
                _ids([s]),
            )
            for s in by_reliability(contradictions)
        ]
        items += [Item(w.lead(book.lead_not_in_cv, s, book), _ids([s])) for s in undisclosed]
        return items

    def _to_validate(
        self, inp: ReportInput, signals: Sequence[Signal], book: Phrasebook
    ) -> list[Item]:
        items = [
            Item(w.lead(book.validate_sanctions, s, book), _ids([s]), book.ask_sanctions)
            for s in by_reliability(s for s in signals if is_sanctions_hit(s))
        ]
        items += [
            self._contradiction_item(s, inp.claims, book)
            for s in by_reliability(s for s in signals if is_contradiction(s))
        ]
        if identity_in_doubt(inp.identity.quick_signal):
            items += self._identity_items(inp, signals, book)
        in_doubt = identity_in_doubt(inp.identity.quick_signal)
        items += [
            self._low_reliability_item(s, inp.claims, book)
            for s in _weakly_supported(signals)
            # A weak corroboration of who they are (a profile, a city) is only worth a check
            # when identity is in doubt — and then the identity items above ask for it.
            if claim_area(s) not in IDENTITY_AREAS or in_doubt
        ]
        items += self._sources_missing_items(inp, signals, book)
        return items

    @staticmethod
    def _contradiction_item(signal: Signal, claims: CvClaims | None, book: Phrasebook) -> Item:
        ids = _ids([signal])
        area = claim_area(signal)
        gap = cv_facts.gap_for(claims, signal) if cv_facts.is_gap_finding(signal) else None
        if gap is not None:
            fields = {
                "months": gap.months,
                "after": gap.after.employer,
                "end": w.month_or_unknown(gap.after.end, book),
                "before": gap.before.employer,
                "start": w.month_or_unknown(gap.before.start, book),
            }
            return Item(
                w.lead(book.validate_gap.format(**fields), signal, book),
                ids,
                book.ask_gap.format(**fields),
            )
        job = cv_facts.employment_for(claims, signal) if area == "employment" else None
        if job is not None:
            text = book.validate_job.format(
                employer=job.employer, dates=w.in_parentheses(w.employment_period(job, book))
            )
            return Item(w.lead(text, signal, book), ids, _ask_job(job, book))
        entry = cv_facts.education_for(claims, signal) if area == "education" else None
        if entry is not None:
            dates = w.after_comma(w.education_period(entry, book))
            text = book.validate_education.format(institution=entry.institution, dates=dates)
            return Item(
                w.lead(text, signal, book),
                ids,
                book.ask_education.format(education=_education(entry, book)),
            )
        text = book.validate_mismatch.format(area=w.area_label(signal, book))
        question = book.ask_mismatch.format(statement=w.quote(signal.statement, book))
        return Item(w.lead(text, signal, book), ids, question)

    @staticmethod
    def _identity_items(
        inp: ReportInput, signals: Sequence[Signal], book: Phrasebook
    ) -> list[Item]:
        about_identity = [s for s in signals if claim_area(s) == "identity"]
        from_identity_stage = [s for s in inp.identity.signals if s.id is not None]
        cited = _ids(by_reliability(about_identity or from_identity_stage)[:MAX_IDS_PER_ITEM])
        if not cited:
            return []
        text = book.validate_identity.format(name=inp.candidate_name)
        return [Item(text, cited, book.ask_identity)]

    @staticmethod
    def _low_reliability_item(signal: Signal, claims: CvClaims | None, book: Phrasebook) -> Item:
        area = claim_area(signal)
        job = cv_facts.employment_for(claims, signal) if area == "employment" else None
        entry = cv_facts.education_for(claims, signal) if area == "education" else None
        if job is not None:
            question = _ask_job(job, book)
        elif entry is not None:
            question = book.ask_education.format(education=_education(entry, book))
        else:
            question = book.ask_low_reliability.format(statement=w.quote(signal.statement, book))
        return Item(w.lead(book.validate_low_reliability, signal, book), _ids([signal]), question)

    @staticmethod
    def _sources_missing_items(
        inp: ReportInput, signals: Sequence[Signal], book: Phrasebook
    ) -> list[Item]:
        """One item naming the sources that could not run, citing the findings they leave thin.

        Those are the findings that only the CV, the request or a Low-reliability source
        back; when every finding is solid, the supporting ones are cited instead.
        """
        missing = [source_name(source.name, book) for source in inp.sources_not_consulted]
        if not missing:
            return []
        thin = [
            s
            for s in signals
            if is_support(s) and (not is_external(s) or s.reliability is Reliability.LOW)
        ]
        cited = _ids(
            (thin or [s for s in signals if is_support(s)] or list(signals))[:MAX_IDS_PER_ITEM]
        )
        if not cited:
            return []
        form = book.validate_sources_missing[0 if len(missing) == 1 else 1]
        text = form.format(names=join_names(missing, book))
        employer = _current_employer(inp)
        question = (
            book.ask_reference_at.format(employer=employer) if employer else book.ask_references
        )
        return [Item(text, cited, question)]


def _ask_job(job: Employment, book: Phrasebook) -> str:
    dates = w.in_parentheses(w.employment_period(job, book))
    template = book.job_with_title if job.title else book.job_without_title
    return book.ask_job.format(
        job=template.format(title=job.title, employer=job.employer, dates=dates)
    )


#: Claim areas that describe who the candidate is rather than what the CV claims.
IDENTITY_AREAS = frozenset({"identity", "location"})


def identity_wording(quick: QuickSignal) -> str:
    """Which identity sentence fits: confidence decides at the extremes, because an Orange
    quick signal may be about the CV's timeline while the identity itself is well established
    ("partly confirmed (confidence: high)" would contradict itself)."""
    if quick.identity_confidence is Confidence.HIGH:
        return "Green"
    if quick.identity_confidence is Confidence.LOW:
        return "Red"
    return quick.level.value


def _education(entry: Education, book: Phrasebook) -> str:
    """`MSc Computer Science (ETH Zürich, 2014 – 2016)` in the report's language."""
    dates = w.after_comma(w.education_period(entry, book))
    template = book.education_with_degree if entry.degree else book.education_without_degree
    return template.format(degree=entry.degree, institution=entry.institution, dates=dates)


def _weakly_supported(signals: Sequence[Signal]) -> list[Signal]:
    """Low-reliability supporting findings whose claim nothing more reliable also supports."""
    solid_claims = {
        s.claim
        for s in signals
        if is_support(s) and s.claim and reliability_rank(s.reliability) > 0
    }
    return [
        s
        for s in signals
        if is_support(s) and s.reliability is Reliability.LOW and s.claim not in solid_claims
    ]


def _current_employer(inp: ReportInput) -> str | None:
    if inp.claims is not None:
        for job in inp.claims.employments:
            if job.current:
                return job.employer
    return inp.context.candidate.company


def _citations(field: str, items: Sequence[Item]) -> list[Citation]:
    return [
        Citation(field=field, index=index, signal_ids=list(item.signal_ids))
        for index, item in enumerate(items)
    ]
