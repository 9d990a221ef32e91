"""Small widgets every domain's screens share: charts, choice boxes, date fields, form buttons,
id-carrying tables and saving a PDF. What belongs to one domain lives in its own package
(the volunteer picker and record lists in ui/volunteers/, the 公示 panel in ui/notices/)."""
