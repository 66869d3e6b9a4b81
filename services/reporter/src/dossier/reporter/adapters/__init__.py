"""The reporter's edges: the LLM writer (HTTP) and the PDF renderer (typst)."""
