//! Warnings about a team's composition (Điều 12 Luật Hòa giải ở cơ sở): the law's conditions
//! are shown when they look unmet, never enforced, since the province sets the exact numbers.

use super::catalogue::TeamRules;

/// A serving mediator, as far as the conditions care.
#[derive(Clone, Copy, Debug)]
pub struct Member {
    pub female: bool,
    pub ethnic_minority: bool,
}

/// A condition that looks unmet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warning {
    /// Fewer serving mediators than the minimum.
    TooFew { have: usize, min: usize },
    /// No woman among the serving mediators.
    NoWoman,
    /// An ethnic-minority area without an ethnic-minority mediator.
    NoEthnicMinority,
}

/// The warnings for a team whose serving mediators are `members`.
pub fn warnings(rules: &TeamRules, members: &[Member], ethnic_minority_area: bool) -> Vec<Warning> {
    let mut out = Vec::new();
    if members.len() < rules.min_mediators {
        out.push(Warning::TooFew { have: members.len(), min: rules.min_mediators });
    }
    if rules.require_female && !members.iter().any(|m| m.female) {
        out.push(Warning::NoWoman);
    }
    if rules.require_ethnic_minority_in_area && ethnic_minority_area && !members.iter().any(|m| m.ethnic_minority) {
        out.push(Warning::NoEthnicMinority);
    }
    out
}

/// Whether an ethnicity, as written on a roster, is an ethnic minority: every ethnic group but
/// the Kinh (người Kinh, Việt).
pub fn is_ethnic_minority(ethnicity: &str) -> bool {
    let f = text_vi::fold(ethnicity.trim());
    !(f.is_empty() || f == "kinh" || f == "viet" || f == "nguoi kinh")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_on_the_laws_conditions() {
        let r = TeamRules { min_mediators: 3, require_female: true, require_ethnic_minority_in_area: true };
        let man = Member { female: false, ethnic_minority: false };
        let tay_woman = Member { female: true, ethnic_minority: true };
        assert_eq!(warnings(&r, &[man, man], true), vec![Warning::TooFew { have: 2, min: 3 }, Warning::NoWoman, Warning::NoEthnicMinority]);
        assert_eq!(warnings(&r, &[man, man, tay_woman], true), vec![]);
        assert_eq!(warnings(&r, &[man, man, man], false), vec![Warning::NoWoman]);
        assert!(is_ethnic_minority("Tày"));
        assert!(!is_ethnic_minority("Kinh"));
        assert!(!is_ethnic_minority(" kinh "));
        assert!(!is_ethnic_minority(""));
    }
}
