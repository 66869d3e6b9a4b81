"""Code samples for every operation, in curl, the Python SDK and the TypeScript SDK.

One place: `enrich()` (openapi.py) adds them to each operation as `x-codeSamples`, which
the reference (Redoc) shows beside the operation. The curl line is built from the
operation itself (method, path, auth, request example); the SDK calls are written here
against the SDK surface shared by `sdks/python` and `sdks/typescript` (operationId →
method). An operation without an SDK method (probes, the docs, the signed report links)
gets plain `httpx` / `fetch`; the deprecated legacy API is curl only — it is not in the
SDKs. A unit test fails when an operation of the app lacks any of the three.
"""

import json
from typing import Any

JsonObject = dict[str, Any]

CURL, PYTHON, TYPESCRIPT = "curl", "Python", "TypeScript"

#: Example values of path and query parameters, by name (the ids look like real ones).
PARAMETER_EXAMPLES: dict[str, str] = {
    "analysis_id": "cmqp23kgg00067gk0rh6jol5o",
    "report_id": "cmqp23kgg00067gk0rh6jol5o",
    "key_ref": "key_3f9c2a71b0d4",
    "webhook_id": "wh_5a1f0c2e9b7d4c38",
    "delivery_id": "evt_5d41402abc4b2a76b9719d91",
    "candidate_id": "candidate_456",
    "client_id": "client_company_123",
    "page": "quickstart",
}

#: Request bodies of operations whose OpenAPI document has no request example.
CURL_BODIES: dict[str, JsonObject] = {
    "createAnalysisFeedback": {
        "signal_id": "sig_5f1c0e9a2b7d4c38",
        "verdict": "not_this_person",
        "note": "Different person: this GitHub account is a namesake in Lisbon.",
    },
    "createApiKey": {
        "name": "Production sync",
        "scopes": ["analyses:read", "analyses:write"],
        "environment": "live",
    },
    "createWebhook": {
        "url": "https://ats.example.com/hooks/dossier",
        "events": ["analysis.completed", "analysis.failed"],
    },
    "updateWebhook": {"enabled": True},
    "createWidgetSession": {"client_id": "client_company_123", "candidate_id": "candidate_456"},
}

_AN = PARAMETER_EXAMPLES["analysis_id"]
_WH = PARAMETER_EXAMPLES["webhook_id"]

PY_SETUP = (
    "import os\n\nfrom dossier_client import Dossier\n\n"
    'client = Dossier(api_key=os.environ["DOSSIER_API_KEY"], base_url=os.environ["DOSSIER_URL"])\n'
)
TS_SETUP = (
    'import { Dossier } from "@dossier/client";\n\n'
    "const dossier = new Dossier({\n"
    "  apiKey: process.env.DOSSIER_API_KEY!,\n"
    "  baseUrl: process.env.DOSSIER_URL!,\n"
    "});\n"
)

_PY_CLIENT = (
    'client={"id": "client_company_123", "first_name": "Jane", "last_name": "Smith",\n'
    '            "company": "Acme Recruiting"}'
)
_PY_CANDIDATE = (
    'candidate={"id": "candidate_456", "first_name": "John", "last_name": "Doe",\n'
    '               "company": "Example Company", "role": "Software Engineer",\n'
    '               "location": "London, UK"}'
)
_TS_CLIENT = (
    'client: { id: "client_company_123", first_name: "Jane", last_name: "Smith",\n'
    '            company: "Acme Recruiting" }'
)
_TS_CANDIDATE = (
    'candidate: { id: "candidate_456", first_name: "John", last_name: "Doe",\n'
    '               company: "Example Company", role: "Software Engineer",\n'
    '               location: "London, UK" }'
)

#: operationId → (Python SDK lines, TypeScript SDK lines), after the client's setup.
SDK_CALLS: dict[str, tuple[str, str]] = {
    "createAnalysis": (
        f'analysis = client.analyses.create(\n    language="en",\n    {_PY_CLIENT},\n'
        f"    {_PY_CANDIDATE},\n)  # sends an Idempotency-Key for you\n"
        "print(analysis.id, analysis.status, analysis.reused)",
        f'const analysis = await dossier.analyses.create({{\n  language: "en",\n  {_TS_CLIENT},\n'
        f"  {_TS_CANDIDATE},\n}});  // sends an Idempotency-Key for you\n"
        "console.log(analysis.id, analysis.status, analysis.reused);",
    ),
    "getAnalysis": (
        f'analysis = client.analyses.get("{_AN}")  # If-None-Match with the last ETag\n'
        "print(analysis.status)\n"
        "# or wait until completed, failed or canceled (honours Retry-After):\n"
        f'analysis = client.analyses.wait("{_AN}", timeout=120)',
        f'let analysis = await dossier.analyses.get("{_AN}");\n'
        "console.log(analysis.status);\n"
        "// or wait until completed, failed or canceled (honours Retry-After):\n"
        f'analysis = await dossier.analyses.wait("{_AN}", {{ timeout: 120 }});',
    ),
    "listAnalyses": (
        'for analysis in client.analyses.list(status="completed", limit=50):  # every page\n'
        "    print(analysis.id, analysis.status)\n\n"
        "# the newest analysis for your own ids, or None:\n"
        'latest = client.analyses.find(client_id="client_company_123", '
        'candidate_id="candidate_456")',
        'for await (const analysis of dossier.analyses.list({ status: "completed", limit: 50 })) {\n'
        "  console.log(analysis.id, analysis.status);\n}\n\n"
        "// the newest analysis for your own ids, or null:\n"
        "const latest = await dossier.analyses.find({\n"
        '  clientId: "client_company_123",\n  candidateId: "candidate_456",\n});',
    ),
    "cancelAnalysis": (
        f'analysis = client.analyses.cancel("{_AN}")\nprint(analysis.status)',
        f'const analysis = await dossier.analyses.cancel("{_AN}");\nconsole.log(analysis.status);',
    ),
    "streamAnalysisEvents": (
        f'for event in client.analyses.stream("{_AN}"):  # resumes with Last-Event-ID\n'
        "    print(event)",
        f'for await (const event of dossier.analyses.stream("{_AN}")) {{\n'
        "  console.log(event);\n}",
    ),
    "createAnalysisFeedback": (
        "client.analyses.send_feedback(\n"
        f'    "{_AN}",\n'
        '    signal_id="sig_5f1c0e9a2b7d4c38",\n'
        '    verdict="not_this_person",\n'
        '    note="Different person: this GitHub account is a namesake in Lisbon.",\n)',
        f'await dossier.analyses.sendFeedback("{_AN}", {{\n'
        '  signal_id: "sig_5f1c0e9a2b7d4c38",\n'
        '  verdict: "not_this_person",\n'
        '  note: "Different person: this GitHub account is a namesake in Lisbon.",\n});',
    ),
    "getAnalysisReportPdf": (
        f'from pathlib import Path\n\nPath("report.pdf").write_bytes(client.reports.pdf("{_AN}"))',
        'import { writeFile } from "node:fs/promises";\n\n'
        f'await writeFile("report.pdf", await dossier.reports.pdf("{_AN}"));',
    ),
    "getMe": (
        "me = client.me.get()\nprint(me.partner_id, me.environment, me.scopes)",
        "const me = await dossier.me.get();\nconsole.log(me.partner_id, me.environment, me.scopes);",
    ),
    "listApiKeys": (
        "for key in client.keys.list():\n    print(key)",
        "for (const key of await dossier.keys.list()) {\n  console.log(key);\n}",
    ),
    "createApiKey": (
        "created = client.keys.create(\n"
        '    name="Production sync",\n'
        '    scopes=["analyses:read", "analyses:write"],\n'
        '    environment="live",\n)  # the raw key is shown once: store it now',
        "const created = await dossier.keys.create({\n"
        '  name: "Production sync",\n'
        '  scopes: ["analyses:read", "analyses:write"],\n'
        '  environment: "live",\n});  // the raw key is shown once: store it now',
    ),
    "revokeApiKey": (
        'client.keys.revoke("key_3f9c2a71b0d4")',
        'await dossier.keys.revoke("key_3f9c2a71b0d4");',
    ),
    "listWebhooks": (
        "for webhook in client.webhooks.list():\n    print(webhook)",
        "for (const webhook of await dossier.webhooks.list()) {\n  console.log(webhook);\n}",
    ),
    "createWebhook": (
        "webhook = client.webhooks.create(\n"
        '    url="https://ats.example.com/hooks/dossier",\n'
        '    events=["analysis.completed", "analysis.failed"],\n'
        ")  # keep webhook.secret (whsec_…) to verify deliveries",
        "const webhook = await dossier.webhooks.create({\n"
        '  url: "https://ats.example.com/hooks/dossier",\n'
        '  events: ["analysis.completed", "analysis.failed"],\n'
        "});  // keep webhook.secret (whsec_…) to verify deliveries",
    ),
    "getWebhook": (
        f'webhook = client.webhooks.get("{_WH}")',
        f'const webhook = await dossier.webhooks.get("{_WH}");',
    ),
    "updateWebhook": (
        f'webhook = client.webhooks.update("{_WH}", enabled=True)',
        f'const webhook = await dossier.webhooks.update("{_WH}", {{ enabled: true }});',
    ),
    "deleteWebhook": (
        f'client.webhooks.delete("{_WH}")',
        f'await dossier.webhooks.delete("{_WH}");',
    ),
    "listWebhookDeliveries": (
        f'for delivery in client.webhooks.deliveries("{_WH}"):\n    print(delivery)',
        f'for (const delivery of await dossier.webhooks.deliveries("{_WH}")) {{\n'
        "  console.log(delivery);\n}",
    ),
    "rotateWebhookSecret": (
        f'rotated = client.webhooks.rotate_secret("{_WH}")  # the old secret stays valid a while',
        f'const rotated = await dossier.webhooks.rotateSecret("{_WH}");'
        "  // the old secret stays valid a while",
    ),
    "testWebhook": (
        f'client.webhooks.test("{_WH}")  # sends a signed webhook.test event',
        f'await dossier.webhooks.test("{_WH}");  // sends a signed webhook.test event',
    ),
    "redeliverWebhookDelivery": (
        f'client.webhooks.redeliver("{_WH}", "{PARAMETER_EXAMPLES["delivery_id"]}")',
        f'await dossier.webhooks.redeliver("{_WH}", "{PARAMETER_EXAMPLES["delivery_id"]}");',
    ),
    "getUsage": (
        'usage = client.usage.get(group_by="client")\nprint(usage)',
        'const usage = await dossier.usage.get({ groupBy: "client" });\nconsole.log(usage);',
    ),
    "exportAuditTrail": (
        "csv = client.audit.export()\nprint(csv)",
        "const csv = await dossier.audit.export();\nconsole.log(csv);",
    ),
    "verifyAuditTrail": (
        "print(client.audit.verify())",
        "console.log(await dossier.audit.verify());",
    ),
    "eraseCandidate": (
        'client.candidates.erase("candidate_456", client_id="client_company_123")',
        'await dossier.candidates.erase("candidate_456", { clientId: "client_company_123" });',
    ),
    "exportPartnerData": (
        "export = client.exports.get()\nprint(export)",
        "const data = await dossier.exports.get();\nconsole.log(data);",
    ),
    "createWidgetSession": (
        "# on your backend: the API key never reaches the browser\n"
        "session = client.widget_sessions.create(\n"
        '    client_id="client_company_123", candidate_id="candidate_456"\n)\n'
        "print(session.token, session.expires_at)  # hand the wt_… token to the page",
        "// on your backend: the API key never reaches the browser\n"
        "const session = await dossier.widgetSessions.create({\n"
        '  clientId: "client_company_123",\n  candidateId: "candidate_456",\n});\n'
        "console.log(session.token, session.expires_at);  // hand the wt_… token to the page",
    ),
}

#: Operations that a signed link answers (no key): the samples fetch the link as handed out.
SIGNED_LINKS: dict[str, tuple[str, str]] = {
    "downloadReportPdf": ("metadata.pdf_download_url", "report.pdf"),
    "getReportHtml": ("metadata.report_url", "report.html"),
}
#: Operations outside the SDKs (probes, the docs, signed links): plain `httpx` and `fetch`.
#: Anything else without an SDK call has curl only, and the unit test says so.
PLAIN_HTTP = frozenset(
    {"getHealth", "getReadiness", "getLlmsTxt", "getLlmsFullTxt", "getGuide", "getAsyncApi"}
    | set(SIGNED_LINKS)
)


def _example_path(path: str) -> str:
    for name, value in PARAMETER_EXAMPLES.items():
        path = path.replace("{" + name + "}", value)
    return path


def _required_query(operation: JsonObject) -> str:
    pairs = [
        f"{p['name']}={PARAMETER_EXAMPLES.get(p['name'], p['name'])}"
        for p in operation.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    ]
    return "?" + "&".join(pairs) if pairs else ""


def request_example(operation_id: str, operation: JsonObject) -> JsonObject | None:
    """The body a sample sends: the operation's first request example, else ours."""
    media = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if media is None:
        return None
    examples = media.get("examples") or {}
    if examples:
        value: JsonObject = next(iter(examples.values()))["value"]
        return value
    return CURL_BODIES.get(operation_id, {})


def curl_sample(method: str, path: str, operation: JsonObject) -> str:
    """A curl line for the operation, from its own description in the document."""
    url = "$DOSSIER_URL" + _example_path(path) + _required_query(operation)
    operation_id = operation.get("operationId", "")
    if operation_id in SIGNED_LINKS:
        field, filename = SIGNED_LINKS[operation_id]
        return f'# URL: the analysis\'s {field}, as handed out (signed, expiring)\ncurl -o {filename} "$URL"'
    first = ["curl"]
    if method != "get":
        first.append(f"-X {method.upper()}")
    if operation_id == "streamAnalysisEvents":
        first.append("-N")  # show events as they arrive
    first.append(f'"{url}"')
    parts = [" ".join(first)]
    if operation.get("deprecated"):
        parts.append('-H "X-Partner-Key: $DOSSIER_PARTNER_KEY"')
    elif operation.get("security"):
        parts.append('-H "Authorization: Bearer $DOSSIER_API_KEY"')
    if operation_id == "createAnalysis":
        parts.append('-H "Idempotency-Key: $(uuidgen)"')
    body = request_example(operation_id, operation)
    if body is not None:
        parts.append('-H "Content-Type: application/json"')
        parts.append("-d '" + json.dumps(body, indent=2, ensure_ascii=False) + "'")
    if operation_id == "getAnalysisReportPdf":
        parts.append("-o report.pdf")
    return " \\\n  ".join(parts)


def _plain_http(method: str, path: str, operation: JsonObject) -> tuple[str, str]:
    """Python (httpx) and TypeScript (fetch) for operations the SDKs do not wrap."""
    operation_id = operation.get("operationId", "")
    if operation_id in SIGNED_LINKS:
        field, _ = SIGNED_LINKS[operation_id]
        return (
            f"import httpx\n\n# the analysis's {field}, as handed out (signed, expiring)\n"
            "response = httpx.get(url)\nresponse.raise_for_status()",
            f"// the analysis's {field}, as handed out (signed, expiring)\n"
            "const response = await fetch(url);\nif (!response.ok) throw new Error(`${response.status}`);",
        )
    target = _example_path(path)
    return (
        "import os\n\nimport httpx\n\n"
        f'response = httpx.{method}(os.environ["DOSSIER_URL"] + "{target}")\n'
        "response.raise_for_status()\nprint(response.text)",
        f"const response = await fetch(`${{process.env.DOSSIER_URL}}{target}`, "
        f'{{ method: "{method.upper()}" }});\n'
        "console.log(response.status, await response.text());",
    )


def code_samples(method: str, path: str, operation: JsonObject) -> list[JsonObject]:
    """The operation's `x-codeSamples` (curl always; Python and TypeScript unless deprecated)."""
    samples: list[JsonObject] = [
        {"lang": "Shell", "label": CURL, "source": curl_sample(method, path, operation)}
    ]
    if operation.get("deprecated"):
        return samples
    operation_id = operation.get("operationId", "")
    if operation_id in SDK_CALLS:
        python, typescript = SDK_CALLS[operation_id]
        samples += [
            {"lang": "Python", "label": PYTHON, "source": f"{PY_SETUP}\n{python}\n"},
            {"lang": "TypeScript", "label": TYPESCRIPT, "source": f"{TS_SETUP}\n{typescript}\n"},
        ]
    elif operation_id in PLAIN_HTTP:
        python, typescript = _plain_http(method, path, operation)
        samples += [
            {"lang": "Python", "label": PYTHON, "source": f"{python}\n"},
            {"lang": "TypeScript", "label": TYPESCRIPT, "source": f"{typescript}\n"},
        ]
    return samples
