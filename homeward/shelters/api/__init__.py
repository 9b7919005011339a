"""REST API of the shelter network: shelters and their free places, the
placement search for a case, referrals, admissions and discharges, the
standard package of services, the service log, the medical screening and
the network's occupancy.

The same selectors as the pages, so the same access gate: an outsider (or a
role that cannot see the record) gets 404, a role that sees it but may not
do what it asks gets 403. Writes go through ``homeward.shelters.services``;
a refusal of a service is a 400 answer with its message, in the caller's
language. Lists never carry names (only the pseudonymous case code); the
person's name is in the detail of a referral and a stay, for the case's
team and the shelter's side. Medical screenings are for medical staff only.
"""
