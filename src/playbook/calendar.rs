//! Deadline arithmetic in a playbook's time zone, with business days and holidays.
