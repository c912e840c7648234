"""Intake: read the staff's workbooks, check them sheet by sheet and across sheets, build the Dataset."""
