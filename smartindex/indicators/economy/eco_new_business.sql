-- ECO_NEW_BUSINESS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('new_business_registrations', 1000)
