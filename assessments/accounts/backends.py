"""The login backend: Django's, with the user's organization read in the same query, since every page asks for it
(the scope of each lookup, the board named in the page title)."""

from django.contrib.auth.backends import ModelBackend

from assessments.models import User


class OrganizationModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("organization").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
