"""The audit vocabulary of case reads, shared by services (which write it) and selectors (which read it).

Its own module so that selectors need not import services: writes may use reads, never the reverse.
"""

OBJECT_TYPE = "cases.case"
# Audit actions that are reads of case data: what the access log and the log review show.
READ_ACTIONS = ("cases.case.viewed", "cases.case.listed", "cases.identity.revealed", "cases.case.exported",
                "cases.access_log.viewed", "cases.case_list.exported")
# Reads of several cases at once, which name the codes in `data["codes"]` instead of `object_id`.
LIST_ACTIONS = ("cases.case.listed", "cases.case_list.exported")
