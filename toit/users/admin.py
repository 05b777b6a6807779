from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from toit.organisations.admin import MembershipInline
from toit.users.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active"]
