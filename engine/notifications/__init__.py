"""Notification channels (log, e-mail, webhook) behind one small interface, and delivery.

Reminders are decided from the timers the engine keeps (`engine.states` timer rules, stored
as rows by `engine.store`); delivering them is the reminders worker's job.
"""
