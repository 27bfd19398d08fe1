"""What other apps hear from a report, inside the transaction that stores it (apps above `reports` listen).

`report_received`: a report was stored (from the public form, by staff, or through a partner).
`reporter_replied`: the reporter wrote a message, or added files (`attachments`: their ids), through the receipt code.
`message_to_reporter`: staff wrote the reporter a message (read with the receipt code).
"""

from django.dispatch import Signal

report_received = Signal()
reporter_replied = Signal()
message_to_reporter = Signal()

# The reporter (or staff at intake) gave phone numbers, addresses or other details about who or what is involved:
# `details` is a list of {"kind", "text"}, the kinds of lib/identifiers.py. Sent inside the report's transaction.
report_details_given = Signal()
