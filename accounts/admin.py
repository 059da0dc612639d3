from django.contrib import admin

from .models import Membership, ReviewScope


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency__province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ReviewScope)
class ReviewScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "scope_name"]
    search_fields = ["user__username", "agency__name", "district__name", "province__name"]
    autocomplete_fields = ["user", "agency", "district", "province"]
