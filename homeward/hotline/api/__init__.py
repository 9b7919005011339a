"""The hotline's REST API: lines, contacts and their follow-ups and
escalation calls, the repeat-caller check, and the calls a telephony system
reports (``call_events``). The aggregated analysis is in
``homeward.hotline.api_analysis``."""
