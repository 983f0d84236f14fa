//! How a comment on a draft arrived (hình thức góp ý): on the public page, or outside the site,
//! by a letter or written document, by e-mail to the drafting body, or at a consultation
//! meeting (hội nghị, tọa đàm). Comments from outside the site are entered by an officer and
//! count in the summary table like the others.

/// The channel of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Web,
    Paper,
    Email,
    Meeting,
}

impl Channel {
    /// The channels an officer may enter a comment for.
    pub const ENTERED: [Channel; 3] = [Channel::Paper, Channel::Email, Channel::Meeting];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Paper => "paper",
            Channel::Email => "email",
            Channel::Meeting => "meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::Web, Channel::Paper, Channel::Email, Channel::Meeting].into_iter().find(|c| c.code() == s.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_refused() {
        for c in [Channel::Web, Channel::Paper, Channel::Email, Channel::Meeting] {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::parse(" paper "), Some(Channel::Paper));
        assert_eq!(Channel::parse("fax"), None);
        assert!(!Channel::ENTERED.contains(&Channel::Web));
    }
}
