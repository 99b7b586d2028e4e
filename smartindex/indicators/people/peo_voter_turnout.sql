-- PEO_VOTER_TURNOUT: see catalogue.toml for its definition, unit and standard.
select * from stat_latest('voter_turnout_pct', 5)
