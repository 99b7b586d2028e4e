-- GOV_OMBUDSMAN: see catalogue.toml for its definition, unit and standard.
select * from stat_value('ombudsman_score')
