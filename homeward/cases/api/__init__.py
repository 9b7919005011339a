"""REST API for the case family: cases, their events and consents, persons.

The same selectors as the pages, so the same access gate: an outsider (or a
role that cannot see the case) gets 404, a role that sees the case but may
not do what it asks gets 403. Writes go through ``homeward.cases.services``;
a refusal of a service is a 400 answer with its message, in the caller's
language. List items never carry names, only the pseudonymous case code.
"""
