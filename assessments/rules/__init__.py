"""The rules about organizations, members, memberships and ratings, written once for every write path.

Each rule is a function that raises ValidationError keyed by the field it concerns, with a Vietnamese message. The
services (assessments/services.py), the importer (assessments/importing, set-based and batched, calling the same
functions row by row on what it plans), the admin (its forms call them in _post_clean so a broken rule is a form
error, and it saves through the services) and the demo loader (bulk writes, each row passed through the same
functions) all go through this package. A test feeds the same case to every path (tests/rules).

Modules: ratings (levels, reasons, the unit existing that year), members (the cell a member may join on a day,
transfers and memberships), organizations (the tree: parents, kinds, re-pathing a moved subtree), access (who may
write where, through the predicates of assessments/permissions.py), locks (the yearly cycle's locks on ratings).

Decisions taken where the write paths used to disagree (each is written again beside its rule):
- A rating at a unit that does not exist in that year (on 31 December) is refused, for units and for members.
- A transfer into a cell that does not exist on the day of the transfer is refused (dissolved or not yet founded).
- A second transfer on the day the current membership started corrects that day's transfer instead of being
  refused: the user who picked the wrong cell fixes it by transferring again; moving back to the cell the member
  left that day simply undoes the transfer.
- Re-pathing a moved subtree is one set-based UPDATE (organizations.subtree_repath), used by the service and the
  importer alike.
- What a user may write is one predicate, assessments.permissions.write_allowed (with unit_rating_decide_allowed
  for the decided part of a unit's rating), asked by the services and, set-based, by the importer.
- The admin's membership editing and the demo loader write through the services or these functions.

Hardening (issue 13): final results are closed until an officer reopens them (locks), and deleting a rating follows
the rule of editing it; a change of kind is checked like a creation, against parent, children and members
(organizations); a card number the user may not use gets one message whether it exists or not (access); text is
normalized by assessments.common.text.text_normalize in every form and import.
"""
