"""活动与阵地 screens: the month calendar and festival plan, the activity form, 道德讲堂, 公益广告,
三美示范村 and 未成年人 (ui/activities/page.py holds them as tabs)."""
