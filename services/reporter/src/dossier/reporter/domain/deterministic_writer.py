"""The default report writer: rules and templates, no model, same input → same report.

Every strength, risk, evidence and validation item is built from one or more findings and
cites their ids, so a reader can always trace a sentence back to its source. The text
around the quoted findings comes from the phrasebook of the requested language.

The lists follow docs/report-rubric.md: strengths are the CV's substance (achievements,
team, seniority matching the role) and skills that sources evidence, never identity
corroborations; risks are adverse findings, never a gap on its own; a gap is a point to
clarify, worded neutrally; interview questions (at least `MIN_QUESTIONS`) probe what there
is to learn, cite the finding they probe (`interviewQuestions` citations), and never ask
about a finding that confirms the CV.
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
    is_gap,
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
#: Fewest interview questions in any report, whatever was found (docs/report-rubric.md).
MIN_QUESTIONS = 3
#: Claim areas a supporting finding must be about to count as a strength: what the
#: candidate can do. Who they are and where they worked is verification (evidence).
STRENGTH_AREAS = frozenset({"skills", "languages", "publications", "projects", "awards"})


@dataclass(frozen=True)
class Item:
    """One line of a report list, the findings it rests on, and what to ask about it."""

    text: str
    signal_ids: tuple[str, ...]
    question: str | None = None
    #: The findings the question probes (cited under `interviewQuestions`); empty when
    #: the question asks about the CV or the role rather than about a finding.
    probes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    text: str
    probes: tuple[str, ...] = ()


def _ids(signals: Iterable[Signal]) -> tuple[str, ...]:
    return tuple(s.id for s in signals if s.id is not None)


class DeterministicWriter:
    """Writes a `Report` from a `ReportInput` with the recommendation rules and the phrasebook."""

    def write(self, inp: ReportInput) -> Report:
        book = phrasebook(inp.language)
        signals = inp.citable_signals
        outcome = recommend_for(inp)
        evidence = [self._evidence_item(s, book) for s in outcome.evidence]
        strengths = self._strengths(inp, signals, book)[:MAX_ITEMS]
        risks = self._risks(signals, book)[:MAX_ITEMS]
        to_validate = self._to_validate(inp, signals, book)[:MAX_ITEMS]
        questions = interview_questions(inp, to_validate, signals, book)

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
            interview_questions=[q.text for q in questions],
            sources=list(inp.sources),
            citations=[
                *_citations("recommendation.evidence", evidence),
                *_citations("strengths", strengths),
                *_citations("whatToValidate", to_validate),
                *_citations("risks", risks),
                *question_citations(questions),
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
        elif is_gap(signal):
            text = book.lead_to_clarify
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
                    supports=by_count(supports, book.supports_count, book.language),
                    contradictions=by_count(
                        contradictions, book.contradictions_count, book.language
                    ),
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
    def _strengths(inp: ReportInput, signals: Sequence[Signal], book: Phrasebook) -> list[Item]:
        """The CV's substance first, then skills that outside sources evidence."""
        items = cv_substance_items(inp, signals, book)
        evidenced = [
            s
            for s in signals
            if is_support(s)
            and is_external(s)
            and s.reliability is not Reliability.LOW
            and claim_area(s) in STRENGTH_AREAS
        ]
        items += [
            Item(w.lead(w.capitalized(w.area_label(s, book)), s, book), _ids([s]))
            for s in by_reliability(evidenced)
        ]
        return items

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
            Item(w.lead(book.validate_sanctions, s, book), _ids([s]), book.ask_sanctions, _ids([s]))
            for s in by_reliability(s for s in signals if is_sanctions_hit(s))
        ]
        items += [
            self._contradiction_item(s, inp.claims, book)
            for s in by_reliability(s for s in signals if is_contradiction(s) or is_gap(s))
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
                ids,
            )
        if is_gap(signal):
            # Not between two listed positions (e.g. since the last one): still neutral.
            return Item(
                w.lead(book.validate_gap_finding, signal, book),
                ids,
                book.ask_gap_finding.format(statement=w.quote(signal.statement, book)),
                ids,
            )
        job = cv_facts.employment_for(claims, signal) if area == "employment" else None
        if job is not None:
            text = book.validate_job.format(
                employer=job.employer, dates=w.in_parentheses(w.employment_period(job, book))
            )
            return Item(w.lead(text, signal, book), ids, _ask_job(job, book), ids)
        entry = cv_facts.education_for(claims, signal) if area == "education" else None
        if entry is not None:
            dates = w.after_comma(w.education_period(entry, book))
            text = book.validate_education.format(institution=entry.institution, dates=dates)
            return Item(
                w.lead(text, signal, book),
                ids,
                book.ask_education.format(education=_education(entry, book)),
                ids,
            )
        text = book.validate_mismatch.format(area=w.area_label(signal, book))
        question = book.ask_mismatch.format(statement=w.quote(signal.statement, book))
        return Item(w.lead(text, signal, book), ids, question, ids)

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
        probed = _ids(s for s in by_reliability(about_identity) if may_probe(s))
        return [Item(text, cited, book.ask_identity, probed[:MAX_IDS_PER_ITEM])]

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
            question = book.ask_low_reliability.format(area=w.area_label(signal, book))
        ids = _ids([signal])
        return Item(w.lead(book.validate_low_reliability, signal, book), ids, question, ids)

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
    """Low-reliability outside findings supporting a claim nothing more reliable supports.

    The CV agreeing with itself (a consistency check that passed) is not a weakly backed
    claim: there is nothing to validate, and nothing to ask."""
    solid_claims = {
        s.claim
        for s in signals
        if is_support(s) and s.claim and reliability_rank(s.reliability) > 0
    }
    return [
        s
        for s in signals
        if is_support(s)
        and is_external(s)
        and s.reliability is Reliability.LOW
        and s.claim not in solid_claims
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


def may_probe(signal: Signal) -> bool:
    """Whether a question may be about this finding: there is something to learn from it.

    A supporting finding confirms the CV, however reliable: asking the candidate to
    explain it teaches nothing (docs/report-rubric.md). A claim only a weak source backs
    is asked about as a claim of the CV (the position, the degree), not as a finding."""
    return not is_support(signal)


def _job_label(job: Employment, book: Phrasebook) -> str:
    """`Tessellate Analytics Ltd (Senior Data Engineer, March 2023 – present)`."""
    details = ", ".join(filter(None, [job.title, w.employment_period(job, book)]))
    return f"{job.employer}{w.in_parentheses(details)}"


def _achievements(job: Employment, book: Phrasebook) -> tuple[str, list[str]]:
    """The job's achievements in words (`leading a team of 4, a migration`) and their topics."""
    phrases: list[str] = []
    topics: list[str] = []
    for achievement in job.achievements:
        kind = achievement.kind.value
        if kind == "led" and job.team_size:
            phrases.append(book.achievement_kinds["led_team"].format(n=job.team_size))
        else:
            phrases.append(book.achievement_kinds[kind])
        topics += [t for t in achievement.topics if t not in topics]
    if job.team_size and not any(a.kind.value == "led" for a in job.achievements):
        phrases.insert(0, book.achievement_kinds["led_team"].format(n=job.team_size))
    return join_names(phrases, book), topics


def _substantial_jobs(inp: ReportInput) -> list[Employment]:
    """Positions whose CV description says what the candidate did, current one first."""
    if inp.claims is None:
        return []
    current = cv_facts.current_job(inp.claims)
    jobs = [job for job in inp.claims.employments if job.achievements or job.team_size]
    return sorted(jobs, key=lambda job: job is not current)


def _job_findings(inp: ReportInput, job: Employment, signals: Sequence[Signal]) -> tuple[str, ...]:
    """Findings about this position that do not contradict it: what a CV strength rests on
    (the CV's text is not kept, so the finding that establishes the position is cited)."""
    about = [
        s
        for s in signals
        if claim_area(s) == "employment"
        and not is_contradiction(s)
        and not is_gap(s)
        and cv_facts.employment_for(inp.claims, s) is job
    ]
    return _ids(by_reliability(about)[:MAX_IDS_PER_ITEM])


def cv_substance_items(inp: ReportInput, signals: Sequence[Signal], book: Phrasebook) -> list[Item]:
    """Strengths from the CV's substance: achievements and team per position, and a current
    title matching the requested role's seniority. Each cites the finding establishing the
    position; a position no finding backs is left out (every strength must cite)."""
    items: list[Item] = []
    for job in _substantial_jobs(inp):
        cited = _job_findings(inp, job, signals)
        if not cited:
            continue
        achievements, topics = _achievements(job, book)
        label = _job_label(job, book)
        if topics:
            text = book.strength_substance_topics.format(
                job=label, achievements=achievements, topics=join_names(topics, book)
            )
        else:
            text = book.strength_substance.format(job=label, achievements=achievements)
        items.append(Item(text, cited))
    current = cv_facts.current_job(inp.claims)
    role = inp.context.candidate.role
    if current is not None and cv_facts.matches_requested_seniority(current, role):
        cited = _job_findings(inp, current, signals)
        if cited:
            text = book.strength_seniority.format(
                title=current.title, employer=current.employer, role=role
            )
            items.append(Item(text, cited))
    return items


def interview_questions(
    inp: ReportInput, to_validate: Sequence[Item], signals: Sequence[Signal], book: Phrasebook
) -> list[Question]:
    """At least `MIN_QUESTIONS`, most `MAX_ITEMS`: first those probing findings, then those
    about the CV's substance and the role, then references; each text once."""
    by_id = {s.id: s for s in signals if s.id is not None}
    found: list[Question] = []
    for item in to_validate:
        if item.question:
            probes = tuple(i for i in item.probes if i in by_id and may_probe(by_id[i]))
            found.append(Question(item.question, probes))
    found += [
        Question(
            book.ask_not_in_cv.format(
                source=w.source_label(s, book), statement=w.quote(s.statement, book)
            ),
            _ids([s]),
        )
        for s in signals
        if s.source_type is SourceType.COMPANY_REGISTRY and s.stance is Stance.NEUTRAL
    ]
    candidate = inp.context.candidate
    role = candidate.role
    for job in _substantial_jobs(inp)[:2]:
        achievements, _ = _achievements(job, book)
        found.append(
            Question(book.ask_achievement.format(employer=job.employer, achievements=achievements))
        )
    current = cv_facts.current_job(inp.claims)
    employer = current.employer if current is not None else candidate.company
    if role and employer:
        found.append(Question(book.ask_role_fit_at.format(employer=employer, role=role)))
    elif role:
        found.append(Question(book.ask_role_fit.format(role=role)))
    if employer:
        found.append(Question(book.ask_reference_at.format(employer=employer)))
    unique: dict[str, Question] = {}
    for question in found:
        unique.setdefault(question.text, question)
    # Then, only up to the minimum: the current position, and questions that fit anyone.
    fillers = [_ask_job(current, book)] if current is not None else []
    for text in (*fillers, book.ask_career, book.ask_references):
        if len(unique) < MIN_QUESTIONS:
            unique.setdefault(text, Question(text))
    return list(unique.values())[:MAX_ITEMS]


def question_citations(questions: Sequence[Question]) -> list[Citation]:
    """`interviewQuestions[i]` cites the findings question i probes (none: not cited)."""
    return [
        Citation(field="interviewQuestions", index=index, signal_ids=list(question.probes))
        for index, question in enumerate(questions)
        if question.probes
    ]
