-- GOV_WOMEN_COUNCIL: see catalogue.toml for its definition, unit and standard.
select * from stat_latest('women_council_seats_pct', 5)
