/** Types of `POST /api/v1/widget-sessions` (operationId `createWidgetSession`), from the schema. */
import type { components } from "./schema.js";

/** Request body: the partner's own ids of the client company and the candidate. */
export type WidgetSessionCreate = components["schemas"]["WidgetSessionCreate"];

/** `201 Created`: a short-lived token (15 minutes) for that one client + candidate. */
export type WidgetSession = components["schemas"]["WidgetSession"];
