"""Pages for people: search, tasks, agencies, places, deadlines, SPARQL and a chat box, in Chinese, served by the same
app as the API (``plan_kb.service.routes.web``). Templates and static files live next to this module; nothing is
loaded from elsewhere."""
