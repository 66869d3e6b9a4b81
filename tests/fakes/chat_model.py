"""A rule-following stand-in for a chat model behind an OpenAI-compatible endpoint.

It reads what a real model would read — the system prompt's language and the
`<data>…</data>` block — and answers the way a well-behaved model does under
`response_format: json_schema` (strict): one JSON object built only from the data,
citing the signal ids it was given, in the requested language. It lets the suite
prove that the LLM writer's *success* path works end to end over HTTP, not only
its fallbacks. It never looks at Dossier's code: only at the request.
"""

import json
import re
from typing import Any

DATA_BLOCK = re.compile(r"<data>\n(?P<json>.*)\n</data>", re.DOTALL)

#: Sentences per language: (summary, reason, strength, risk, validate, question).
PHRASES: dict[str, dict[str, Any]] = {
    "en": {
        "padding": (
            "Could you walk us through your career so far?",
            "Which achievement matters most for this role?",
            "Who could we ask for a reference?",
        ),
        "summary": "The analysis of {name} is based on {n} findings; the evidence should be read with the points to validate.",
        "reason": "This recommendation follows the findings that were checked and is not a decision in itself.",
        "strength": "A source confirms this: {statement}",
        "risk": "A source raises this point: {statement}",
        "validate": "This needs to be confirmed with the candidate: {statement}",
        "question": "Could you walk us through this point of your background: {statement}",
    },
    "fr": {
        "padding": (
            "Pouvez-vous nous présenter votre parcours ?",
            "Quelle réalisation compte le plus pour ce poste ?",
            "Qui pourrions-nous contacter pour une référence ?",
        ),
        "summary": "L'analyse de {name} repose sur {n} constats ; les éléments sont à lire avec les points à vérifier.",
        "reason": "Cette recommandation découle des constats vérifiés et ne constitue pas une décision en soi.",
        "strength": "Une source le confirme : {statement}",
        "risk": "Une source signale ce point : {statement}",
        "validate": "Ce point est à confirmer avec le candidat : {statement}",
        "question": "Pouvez-vous nous expliquer ce point de votre parcours : {statement}",
    },
    "de": {
        "padding": (
            "Können Sie uns Ihren Werdegang schildern?",
            "Welche Leistung ist für diese Stelle am wichtigsten?",
            "Wen könnten wir um eine Referenz bitten?",
        ),
        "summary": "Die Analyse von {name} stützt sich auf {n} Befunde; die Belege sind mit den offenen Punkten zu lesen.",
        "reason": "Die Empfehlung folgt aus den geprüften Befunden und ist nicht die Entscheidung selbst.",
        "strength": "Eine Quelle bestätigt das: {statement}",
        "risk": "Eine Quelle weist auf diesen Punkt hin: {statement}",
        "validate": "Das ist mit der Person zu klären: {statement}",
        "question": "Können Sie uns diesen Punkt in Ihrem Werdegang erläutern: {statement}",
    },
    "it": {
        "padding": (
            "Può descriverci il suo percorso?",
            "Quale risultato conta di più per questo ruolo?",
            "A chi potremmo chiedere una referenza?",
        ),
        "summary": "L'analisi di {name} si basa su {n} riscontri; gli elementi sono da leggere con i punti da verificare.",
        "reason": "La raccomandazione deriva dai riscontri verificati e non è una decisione in sé.",
        "strength": "Una fonte lo conferma: {statement}",
        "risk": "Una fonte segnala questo punto: {statement}",
        "validate": "Il punto è da confermare con il candidato: {statement}",
        "question": "Può spiegarci questo punto del suo percorso: {statement}",
    },
    "es": {
        "padding": (
            "¿Podría describirnos su trayectoria?",
            "¿Qué logro es el más importante para este puesto?",
            "¿A quién podríamos pedir una referencia?",
        ),
        "summary": "El análisis de {name} se basa en {n} hallazgos; los elementos se leen junto con los puntos por validar.",
        "reason": "La recomendación se deriva de los hallazgos verificados y no es una decisión por sí misma.",
        "strength": "Una fuente lo confirma: {statement}",
        "risk": "Una fuente señala este punto: {statement}",
        "validate": "Este punto se debe confirmar con el candidato: {statement}",
        "question": "¿Puede explicarnos este punto de su trayectoria: {statement}",
    },
}


class BadRequestError(ValueError):
    """What the real API answers with 400."""


def _data(body: dict[str, Any]) -> dict[str, Any]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadRequestError("messages must be a non-empty list")
    for message in messages:
        if message.get("role") not in {"system", "user", "assistant"} or not isinstance(
            message.get("content"), str
        ):
            raise BadRequestError("each message needs a role and string content")
    fmt = body.get("response_format") or {}
    if fmt.get("type") != "json_schema" or "schema" not in fmt.get("json_schema", {}):
        raise BadRequestError("response_format must be a json_schema")
    user = next(m["content"] for m in messages if m["role"] == "user")
    match = DATA_BLOCK.search(user)
    if match is None:
        raise BadRequestError("no <data> block")
    data: dict[str, Any] = json.loads(match["json"])
    return data


def _stance(signal: dict[str, Any]) -> str | None:
    value = signal.get("stance")
    return str(value) if value is not None else None


def write_report(data: dict[str, Any]) -> dict[str, Any]:
    """The report a careful model would write from this data."""
    words = PHRASES[data["language"]]
    required = data["requiredRecommendation"]
    signals = [s for s in data["signals"] if s.get("id")]
    # Following the report rubric: strengths are skills a source evidences (not identity
    # corroborations), a gap is a point to clarify (never a risk), questions probe findings.
    supporting = [
        s
        for s in signals
        if _stance(s) == "supports" and str(s.get("claim") or "").startswith("skills")
    ]
    contradicting = [s for s in signals if _stance(s) == "contradicts"]
    adverse = [s for s in contradicting if "gap" not in str(s.get("claim") or "")]
    evidence_ids = [i for i in required["evidenceSignalIds"] if any(s["id"] == i for s in signals)]
    evidence_ids = evidence_ids or [s["id"] for s in signals[:1]]

    citations: list[dict[str, Any]] = []

    def cite(field: str, items: list[dict[str, Any]], template: str) -> list[str]:
        for index, signal in enumerate(items):
            citations.append({"field": field, "index": index, "signalIds": [signal["id"]]})
        return [words[template].format(statement=s["statement"]) for s in items]

    evidence_signals = [s for s in signals if s["id"] in evidence_ids]
    evidence = cite("recommendation.evidence", evidence_signals, "strength")
    strengths = cite("strengths", supporting[:3], "strength")
    risks = cite("risks", adverse[:3], "risk")
    validate = cite("whatToValidate", contradicting[:3], "validate")
    questions = [words["question"].format(statement=s["statement"]) for s in contradicting[:3]]
    for index, signal in enumerate(contradicting[:3]):
        citations.append(
            {"field": "interviewQuestions", "index": index, "signalIds": [signal["id"]]}
        )
    questions += list(words["padding"])[: max(0, 3 - len(questions))]
    return {
        "candidateName": data["candidate"]["name"],
        "recommendation": {
            "decision": required["decision"],
            "confidence": required["confidence"],
            "reason": words["reason"],
            "evidence": evidence,
        },
        "summary": words["summary"].format(name=data["candidate"]["name"], n=len(signals)),
        "strengths": strengths,
        "whatToValidate": validate,
        "risks": risks,
        "interviewQuestions": questions,
        "citations": citations,
    }


def completion(body: dict[str, Any]) -> dict[str, Any]:
    """A chat.completion answering `body` (raises BadRequestError like the real API's 400)."""
    report = write_report(_data(body))
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "model": body.get("model", "local"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(report, ensure_ascii=False)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }
