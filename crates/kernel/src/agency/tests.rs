//! Unit tests of the catalogue and matcher together.

use super::normalize::alias_key;
use super::*;

fn matcher() -> Result<AgencyMatcher, CatalogueError> {
    AgencyMatcher::builtin()
}

#[test]
fn every_name_and_alias_matches_its_own_entry() -> Result<(), CatalogueError> {
    let cat = AgencyCatalogue::builtin()?;
    let m = AgencyMatcher::from_catalogue(&cat);
    for entry in cat.match_entries() {
        let got = m.match_name(&entry.name);
        assert_eq!(
            (got.key(), got.how()),
            (Some(entry.key.as_str()), Some(MatchHow::Exact)),
            "name {:?}",
            entry.name
        );
        for alias in entry.aliases.iter().chain(&entry.bare_aliases) {
            let got = m.match_name(alias);
            assert_eq!(got.key(), Some(entry.key.as_str()), "alias {alias:?}");
            assert!(
                matches!(got.how(), Some(MatchHow::Exact | MatchHow::Alias)),
                "alias {alias:?}: {got:?}"
            );
        }
    }
    Ok(())
}

#[test]
fn stems_alone_are_not_names() -> Result<(), CatalogueError> {
    let cat = AgencyCatalogue::builtin()?;
    let m = AgencyMatcher::from_catalogue(&cat);
    let entries = cat.match_entries();
    let names: std::collections::HashSet<String> = entries
        .iter()
        .flat_map(|e| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .chain(&e.bare_aliases)
        })
        .map(|a| alias_key(a))
        .collect();
    for entry in &entries {
        for stem in &entry.stems {
            if !names.contains(&alias_key(stem)) {
                assert!(
                    !m.match_name(stem).is_matched(),
                    "stem {stem:?} matched alone"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn catalogue_has_the_required_kinds_and_groups() -> Result<(), CatalogueError> {
    let cat = AgencyCatalogue::builtin()?;
    let kinds = [
        "provincial_people_committee",
        "justice_department",
        "provincial_police",
        "provincial_front_committee",
        "provincial_womens_union",
        "provincial_youth_union",
        "provincial_farmers_union",
        "provincial_labour_federation",
        "provincial_veterans_association",
        "provincial_jurists_association",
        "provincial_bar_association",
        "culture_sports_tourism_department",
        "information_communications_department",
        "science_technology_department",
        "education_department",
        "home_affairs_department",
        "labour_department",
        "finance_department",
        "planning_investment_department",
        "health_department",
        "agriculture_rural_development_department",
        "agriculture_environment_department",
        "natural_resources_environment_department",
        "industry_trade_department",
        "construction_department",
        "transport_department",
        "ethnic_affairs_committee",
        "provincial_inspectorate",
        "provincial_pc_office",
        "provincial_radio_tv",
        "provincial_newspaper",
        "provincial_military_command",
        "provincial_border_guard_command",
        "provincial_peoples_court",
        "provincial_peoples_procuracy",
        "provincial_civil_judgment_enforcement",
        "provincial_tax_department",
        "provincial_coordination_council",
        "legal_aid_center",
        "commune_people_committee",
        "commune_pc_office",
        "commune_police",
        "commune_front_committee",
        "commune_justice_officer",
        "mediation_team",
        "district_people_committee",
        "district_justice_office",
        "district_culture_information_office",
        "district_police",
        "district_culture_sports_center",
    ];
    for code in kinds {
        assert!(cat.kind(code).is_some(), "missing kind {code}");
    }
    let groups = [
        "provincial_departments_and_unions",
        "provincial_departments",
        "agencies_units_localities",
        "agencies_organizations_unions",
        "district_people_committees",
        "commune_people_committees",
        "coordination_council_members",
        "socio_political_organizations",
        "press_agencies",
        "related_agencies",
    ];
    for code in groups {
        assert!(cat.group(code).is_some(), "missing group {code}");
    }
    let ict = cat.kind("information_communications_department");
    assert!(ict.is_some_and(|k| {
        k.valid_to.is_some()
            && k.replaced_by
                .iter()
                .any(|r| r == "science_technology_department")
    }));
    assert!(cat.kinds().len() >= 100 && cat.groups().len() >= 25 && cat.alias_count() >= 500);
    Ok(())
}

#[test]
fn group_members_and_levels() -> Result<(), CatalogueError> {
    let cat = AgencyCatalogue::builtin()?;
    let members: Vec<&str> = cat
        .group_members("provincial_departments")
        .map(|k| k.code.as_str())
        .collect();
    assert!(members.contains(&"justice_department") && members.contains(&"finance_department"));
    assert!(!members.contains(&"commune_police"));
    let pcs: Vec<&str> = cat
        .group_members("commune_people_committees")
        .map(|k| k.code.as_str())
        .collect();
    assert_eq!(pcs, ["commune_people_committee"]);
    assert_eq!(
        cat.kind("district_police").map(|k| k.level),
        Some(AgencyLevel::DistrictLegacy)
    );
    assert_eq!(AgencyLevel::DistrictLegacy.as_str(), "district_legacy");
    for group in cat.groups() {
        assert!(
            cat.kinds()
                .iter()
                .all(|k| k.groups.iter().all(|g| cat.group(g).is_some())),
            "{}",
            group.code
        );
    }
    Ok(())
}

#[test]
fn database_entries_with_places() -> Result<(), CatalogueError> {
    let m = AgencyMatcher::new(vec![
        MatchEntry::new(
            "agency:42",
            "Sở Tư pháp tỉnh Lạng Sơn",
            vec!["Sở Tư pháp".into()],
            EntryKind::Agency,
        )
        .with_level(AgencyLevel::Province),
        MatchEntry::new(
            "agency:7",
            "Ủy ban nhân dân xã An Châu",
            vec![],
            EntryKind::Agency,
        )
        .with_level(AgencyLevel::Commune)
        .with_stems(vec!["UBND".into()]),
        MatchEntry::new(
            "agency:8",
            "Công an tỉnh Lạng Sơn",
            vec![],
            EntryKind::Agency,
        ),
    ]);
    let key = |s: &str| m.match_name(s).key().map(str::to_string);
    assert_eq!(
        m.match_name("Sở Tư pháp tỉnh Lạng Sơn").how(),
        Some(MatchHow::Exact)
    );
    assert_eq!(
        key("Giám đốc Sở Tư pháp tỉnh Lạng Sơn").as_deref(),
        Some("agency:42")
    );
    assert_eq!(key("Sở Tư pháp").as_deref(), Some("agency:42"));
    assert_eq!(
        m.match_name("Sở Tư pháp Lạng Sơn").how(),
        Some(MatchHow::StrippedPlace)
    );
    assert_eq!(key("UBND xã An Châu").as_deref(), Some("agency:7"));
    assert_eq!(key("Công an tỉnh Lạng Sơn").as_deref(), Some("agency:8"));
    assert_eq!(key("Sở Y tế"), None);
    let list: Vec<_> = m
        .match_list("Sở Tư pháp tỉnh Lạng Sơn, Công an tỉnh Lạng Sơn và UBND xã An Châu")
        .into_iter()
        .map(|g| g.key().map(str::to_string))
        .collect();
    assert_eq!(
        list,
        [
            Some("agency:42".to_string()),
            Some("agency:8".to_string()),
            Some("agency:7".to_string())
        ]
    );
    Ok(())
}

#[test]
fn level_words_choose_among_shared_stems() -> Result<(), CatalogueError> {
    let m = matcher()?;
    let key = |s: &str| m.match_name(s).key().map(str::to_string);
    assert_eq!(
        key("Công an tỉnh Lạng Sơn").as_deref(),
        Some("kind:provincial_police")
    );
    assert_eq!(
        key("Công an huyện Sơn Động").as_deref(),
        Some("kind:district_police")
    );
    assert_eq!(
        key("Công an phường Ba Đình").as_deref(),
        Some("kind:commune_police")
    );
    assert_eq!(
        key("Công an Quận 3").as_deref(),
        Some("kind:district_police")
    );
    assert_eq!(
        key("Hội Liên hiệp Phụ nữ xã An Châu").as_deref(),
        Some("kind:commune_womens_union")
    );
    assert_eq!(
        key("Ủy ban MTTQ Việt Nam xã An Châu").as_deref(),
        Some("kind:commune_front_committee")
    );
    assert_eq!(
        key("Báo Bình Phước").as_deref(),
        Some("kind:provincial_newspaper")
    );
    // A level word that does not fit the kind is not a place of it.
    assert_eq!(key("Sở Tư pháp xã An Châu"), None);
    assert_eq!(key("Bộ Tư pháp tỉnh Lạng Sơn"), None);
    Ok(())
}

#[test]
fn matches_serialise_for_the_api() -> Result<(), CatalogueError> {
    let m = matcher()?;
    let json = serde_json::to_string(&m.match_name("STP"));
    assert!(json.is_ok_and(
        |j| j.contains("\"result\":\"matched\"") && j.contains("kind:justice_department")
    ));
    Ok(())
}
