//! The two kinds of disseminator, qualifications, dismissal kinds and registration statuses,
//! with their stored codes and Vietnamese labels.

/// Báo cáo viên (recognised by the province) or tuyên truyền viên (by the commune chair).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Báo cáo viên pháp luật (provincial level).
    Reporter,
    /// Tuyên truyền viên pháp luật (commune level).
    Propagandist,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reporter => "reporter",
            Kind::Propagandist => "propagandist",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "reporter" => Some(Kind::Reporter),
            "propagandist" => Some(Kind::Propagandist),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Reporter => "Báo cáo viên pháp luật",
            Kind::Propagandist => "Tuyên truyền viên pháp luật",
        }
    }
    /// The path segment of its pages.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Reporter => "bao-cao-vien",
            Kind::Propagandist => "tuyen-truyen-vien",
        }
    }
    /// The level of unit whose registry holds this kind: a province for reporters, a commune
    /// for propagandists.
    pub fn unit_level(self) -> &'static str {
        match self {
            Kind::Reporter => "province",
            Kind::Propagandist => "commune",
        }
    }
    /// How service ends: miễn nhiệm for a reporter, cho thôi làm for a propagandist.
    pub fn dismissal_label(self) -> &'static str {
        match self {
            Kind::Reporter => "Miễn nhiệm",
            Kind::Propagandist => "Cho thôi làm tuyên truyền viên",
        }
    }
}

/// Trình độ chuyên môn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualification {
    /// Bằng cử nhân luật (or higher).
    Law,
    /// Bằng đại học khác.
    OtherDegree,
    /// Khác (no university degree).
    Other,
}

impl Qualification {
    pub const ALL: [Qualification; 3] = [Qualification::Law, Qualification::OtherDegree, Qualification::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            Qualification::Law => "law",
            Qualification::OtherDegree => "other_degree",
            Qualification::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Qualification> {
        Qualification::ALL.into_iter().find(|q| q.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Qualification::Law => "Cử nhân luật trở lên",
            Qualification::OtherDegree => "Đại học khác",
            Qualification::Other => "Khác",
        }
    }
}

/// Where a registration stands in the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegStatus {
    /// Đã đăng ký, chờ rà soát.
    Registered,
    /// Đủ tiêu chuẩn, đưa vào danh sách đề nghị.
    Listed,
    /// Không đủ tiêu chuẩn.
    NotListed,
    /// Đã được công nhận.
    Recognised,
}

impl RegStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegStatus::Registered => "registered",
            RegStatus::Listed => "listed",
            RegStatus::NotListed => "not_listed",
            RegStatus::Recognised => "recognised",
        }
    }
    pub fn parse(s: &str) -> Option<RegStatus> {
        [RegStatus::Registered, RegStatus::Listed, RegStatus::NotListed, RegStatus::Recognised].into_iter().find(|r| r.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            RegStatus::Registered => "Chờ rà soát",
            RegStatus::Listed => "Trong danh sách đề nghị",
            RegStatus::NotListed => "Không đủ tiêu chuẩn",
            RegStatus::Recognised => "Đã công nhận",
        }
    }
    /// Whether the officer may still review it (list or not list).
    pub fn reviewable(self) -> bool {
        matches!(self, RegStatus::Registered | RegStatus::Listed | RegStatus::NotListed)
    }
}
