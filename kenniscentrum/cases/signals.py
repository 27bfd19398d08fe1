"""What other apps hear from a case, without the case knowing them (apps above `cases` may not be imported here).

`case_closing`: a case is being closed, inside the closing transaction. `withdraw_referrals` says whether the
director chose to withdraw the referrals still running; the referrals app does that (referrals/apps.py).
"""

from django.dispatch import Signal

case_closing = Signal()

# A task was added to a case's plan, for its owner (a user or an organisation).
task_assigned = Signal()

# A case was received from another region's centre and waits for a case director to accept it.
handover_received = Signal()

# A person's contact details were given or changed (phone, e-mail, address), so linking can record them as identifiers.
person_details_changed = Signal()
