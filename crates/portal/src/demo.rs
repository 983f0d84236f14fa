//! The demo portal of Lạng Sơn: the account `bientap` (role Editor, at the province), three
//! categories, the Law Day campaign (Ngày Pháp luật Việt Nam, 9/11) of this year, published
//! news of the province and of the two demo communes, a draft waiting for approval, and the
//! static page "Giới thiệu".

use chrono::{Datelike, Duration, NaiveDate};
use kernel::Db;
use kernel::account::Role;
use kernel::db::audit::{self, Actor, Entry};
use kernel::error::{AppError, AppResult};

use crate::rules::workflow::{Kind, Status};
use crate::rules::{make_slug, parse_tags, render};
use crate::store::{self, ArticleInput};

struct Demo {
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    /// Index into the categories, if any.
    category: Option<usize>,
    campaign: bool,
    tags: &'static str,
    featured: bool,
    /// 0: the province, 1 and 2: the demo communes.
    unit: usize,
    /// Days before today it was published; `None` for a draft waiting for approval.
    ago: Option<i64>,
}

const CATEGORIES: [&str; 3] = ["Hoạt động phổ biến pháp luật", "Hòa giải ở cơ sở", "Tin cơ sở"];

const ARTICLES: &[Demo] = &[
    Demo {
        title: "Lạng Sơn hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        summary: "Các sở, ngành và 65 xã, phường trên địa bàn tỉnh tổ chức nhiều hoạt động hưởng ứng Ngày Pháp luật 9/11 với chủ đề tôn trọng Hiến pháp và pháp luật.",
        body: "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh, Sở Tư pháp tỉnh Lạng Sơn đã hướng dẫn các cơ quan, đơn vị tổ chức các hoạt động hưởng ứng **Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam** (9/11).\n\n## Các hoạt động chính\n\n- Treo băng rôn, khẩu hiệu tại trụ sở cơ quan và nơi công cộng;\n- Tổ chức hội nghị phổ biến các luật mới được Quốc hội thông qua;\n- Phát sóng chuyên mục pháp luật trên Đài Phát thanh và Truyền hình tỉnh;\n- Tuyên truyền trên hệ thống loa truyền thanh cơ sở bằng tiếng Kinh, tiếng Tày và tiếng Nùng.\n\nNgày Pháp luật là dịp để mỗi cán bộ, công chức và người dân nâng cao ý thức tôn trọng, chấp hành pháp luật.",
        category: Some(0),
        campaign: true,
        tags: "Ngày Pháp luật, Hiến pháp",
        featured: true,
        unit: 0,
        ago: Some(2),
    },
    Demo {
        title: "Phát động cuộc thi tìm hiểu pháp luật trực tuyến hưởng ứng Ngày Pháp luật",
        summary: "Cuộc thi dành cho cán bộ, công chức, viên chức và người dân trong tỉnh, mỗi tuần một đợt thi với 10 câu hỏi trắc nghiệm.",
        body: "Ban Tổ chức cuộc thi thông báo thể lệ:\n\n1. Đối tượng: công dân từ 15 tuổi trở lên đang sinh sống, học tập, làm việc tại tỉnh Lạng Sơn.\n2. Hình thức: thi trắc nghiệm trực tuyến, mỗi lượt thi gồm 10 câu hỏi và 1 câu hỏi dự đoán.\n3. Giải thưởng: mỗi đợt có 01 giải Nhất, 02 giải Nhì, 03 giải Ba và 05 giải Khuyến khích.\n\nMọi thắc mắc xin liên hệ Phòng Phổ biến, giáo dục pháp luật, Sở Tư pháp.",
        category: Some(0),
        campaign: true,
        tags: "Ngày Pháp luật, cuộc thi",
        featured: false,
        unit: 0,
        ago: Some(6),
    },
    Demo {
        title: "Tập huấn kỹ năng hòa giải ở cơ sở cho hòa giải viên năm nay",
        summary: "Hơn 200 tổ trưởng tổ hòa giải được bồi dưỡng kỹ năng tiếp nhận, hòa giải các tranh chấp đất đai và mâu thuẫn trong gia đình.",
        body: "Sở Tư pháp phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tổ chức hội nghị tập huấn theo **Luật Hòa giải ở cơ sở năm 2013**.\n\nTại hội nghị, báo cáo viên pháp luật đã giới thiệu các tình huống thường gặp và cách ghi sổ theo dõi hoạt động hòa giải.\n\n> Hòa giải thành giúp giữ gìn tình làng, nghĩa xóm và giảm các vụ việc phải đưa ra tòa án.",
        category: Some(1),
        campaign: false,
        tags: "hòa giải, tập huấn",
        featured: true,
        unit: 0,
        ago: Some(15),
    },
    Demo {
        title: "Phường Đông Kinh tuyên truyền pháp luật về phòng, chống ma túy cho thanh niên",
        summary: "Buổi tuyên truyền thu hút 150 đoàn viên, thanh niên và học sinh trên địa bàn phường.",
        body: "Công an phường và Đoàn Thanh niên phường Đông Kinh phối hợp tổ chức buổi tuyên truyền về **Luật Phòng, chống ma túy năm 2021**.\n\nNgười tham dự được nghe phân tích tác hại của ma túy tổng hợp và trách nhiệm của gia đình, nhà trường trong phòng ngừa.",
        category: Some(2),
        campaign: false,
        tags: "ma túy, thanh niên",
        featured: false,
        unit: 1,
        ago: Some(9),
    },
    Demo {
        title: "Xã Đoàn Kết phổ biến Luật Đất đai năm 2024 đến đồng bào dân tộc thiểu số",
        summary: "Cán bộ tư pháp xã đã phổ biến những điểm mới của Luật Đất đai tại nhà văn hóa các thôn.",
        body: "Trong tháng, xã Đoàn Kết tổ chức 6 buổi phổ biến **Luật Đất đai năm 2024** tại các thôn Bản Mới, Nà Lầm.\n\nNgười dân được giải đáp về thủ tục cấp giấy chứng nhận quyền sử dụng đất và hòa giải tranh chấp đất đai ở cơ sở.",
        category: Some(2),
        campaign: false,
        tags: "đất đai, đồng bào dân tộc thiểu số",
        featured: false,
        unit: 2,
        ago: Some(20),
    },
    Demo {
        title: "Tuyên truyền pháp luật về trật tự, an toàn giao thông dịp cuối năm",
        summary: "Nhắc nhở người dân chấp hành quy định về nồng độ cồn và đội mũ bảo hiểm khi tham gia giao thông.",
        body: "Dịp cuối năm, lượng phương tiện qua các tuyến quốc lộ 1A, 4B tăng cao. Người dân cần chấp hành **Luật Trật tự, an toàn giao thông đường bộ năm 2024**.",
        category: Some(0),
        campaign: false,
        tags: "giao thông",
        featured: false,
        unit: 0,
        ago: None,
    },
];

const ABOUT_BODY: &str = "Cổng thông tin phổ biến, giáo dục pháp luật do Sở Tư pháp tỉnh Lạng Sơn quản lý, đăng tin về hoạt động phổ biến, giáo dục pháp luật, hòa giải ở cơ sở và xây dựng cấp xã tiếp cận pháp luật.\n\nĐịa chỉ liên hệ: Sở Tư pháp tỉnh Lạng Sơn, số 2 đường Hoàng Văn Thụ, phường Lương Văn Tri, tỉnh Lạng Sơn.";

/// The description of the demo's picture.
const PICTURE_ALT: &str = "Tranh minh họa: mặt trời trên cánh đồng, hưởng ứng Ngày Pháp luật";

fn date(y: i32, m: u32, d: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| AppError::Internal("demo date".into()))
}

/// Loads the demo portal once (nothing when a category exists).
pub async fn load(db: &Db) -> AppResult<()> {
    if !store::categories(db).await?.is_empty() {
        return Ok(());
    }
    let today = kernel::page::today();
    let province = kernel::db::units::by_code(db, kernel::demo::PROVINCE_CODE, today).await?;
    let mut units = vec![province.id];
    for code in kernel::demo::COMMUNE_CODES {
        units.push(kernel::db::units::by_code(db, code, today).await?.id);
    }
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    let actor = Actor::cli();
    let now = kernel::now();
    let mut tx = db.begin().await?;

    // The editor of the province, sharing the demo password (the hash of `tinh`).
    let bientap = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: "bientap".into(),
        full_name: text_vi::nfc("Hoàng Thị Thu Trang"),
        email: Some("bientap@demo.pbgdpl.local".into()),
        password_hash: tinh.password_hash.clone(),
        role: Role::Editor.as_str().into(),
        unit_id: province.id,
        agency_id: None,
        must_change_password: false,
    })
    .await?;
    audit::record(&mut tx, &actor, Entry {
        action: "create", entity: "account", entity_id: Some(bientap.to_string()), unit_id: Some(province.id),
        summary: format!("Dữ liệu mẫu: tài khoản bientap ({})", Role::Editor.label()), before: None, after: None,
    })
    .await?;

    let mut categories = Vec::new();
    for (i, name) in CATEGORIES.iter().enumerate() {
        let name = text_vi::nfc(name);
        categories.push(store::insert_category(&mut tx, &make_slug(&name, "chuyen-muc"), &name, i as i64).await?);
    }
    // This year's Law Day campaign: from 20 October to 15 November.
    let year = today.year();
    let law_day = text_vi::nfc(&format!("Ngày Pháp luật Việt Nam 9/11/{year}"));
    let campaign = store::insert_campaign(&mut tx, &make_slug(&law_day, "chien-dich"), &law_day,
        &text_vi::nfc("Các hoạt động hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam trên địa bàn tỉnh Lạng Sơn."),
        date(year, 10, 20)?, date(year, 11, 15)?).await?;

    // A picture for the first Law Day article, made like an upload (documents::picture).
    let picture = documents::picture::process(&documents::picture::sample_png(800, 420)).map_err(|e| AppError::Internal(e.message().into()))?;
    let token = kernel::db::new_token()[..20].to_string();
    let picture_ref = crate::rules::markdown::ImageRef { token: token.clone(), sizes: picture.sizes.iter().map(|s| (s.width, s.height)).collect() };
    let mut pictured = false;
    for d in ARTICLES {
        let mut body = text_vi::nfc(d.body);
        let with_picture = d.campaign && !pictured;
        if with_picture {
            body = format!("![{}](anh:{token})\n\n{body}", text_vi::nfc(PICTURE_ALT));
        }
        let images = std::collections::HashMap::from([(token.clone(), picture_ref.clone())]);
        let title = text_vi::nfc(d.title);
        let input = ArticleInput {
            kind: Kind::News.as_str().into(),
            slug: make_slug(&title, "tin-bai"),
            summary: text_vi::nfc(d.summary),
            body_html: crate::rules::markdown::render_with(&body, &images),
            body_md: body,
            category_id: d.category.and_then(|i| categories.get(i).copied()),
            campaign_id: d.campaign.then_some(campaign),
            featured: d.featured,
            publish_at: None,
            unpublish_at: None,
            title,
        };
        let by = if d.ago.is_none() { bientap } else { tinh.id };
        let unit = units.get(d.unit).copied().unwrap_or(province.id);
        let written = now - Duration::days(d.ago.unwrap_or(0) + 1);
        let id = store::insert_article(&mut tx, &input, unit, Some(by), written).await?;
        store::insert_version(&mut tx, id, 1, &input, Some(by), written).await?;
        if with_picture {
            pictured = true;
            let alt = text_vi::nfc(PICTURE_ALT);
            let image = store::insert_image(&mut tx, &store::NewImage {
                article_id: id, token: &token, alt: &alt, width: i64::from(picture.width), height: i64::from(picture.height), created_by: by,
            }, written)
            .await?;
            for size in &picture.sizes {
                let file = kernel::db::files::store(&mut tx, &format!("anh-{id}-{}.jpg", size.width), "image/jpeg", &size.jpeg, unit, Some(by)).await?;
                store::insert_image_size(&mut tx, image, i64::from(size.width), i64::from(size.height), file).await?;
            }
        }
        store::set_tags(&mut tx, id, &parse_tags(&text_vi::nfc(d.tags)).unwrap_or_default()).await?;
        let draft = (1, Status::Draft.as_str());
        match d.ago {
            Some(ago) => store::set_status(&mut tx, id, draft, Status::Published.as_str(), "", Some((now - Duration::days(ago), tinh.id)), now - Duration::days(ago)).await?,
            None => store::set_status(&mut tx, id, draft, Status::Submitted.as_str(), "", None, written).await?,
        };
    }
    let about_title = text_vi::nfc("Giới thiệu");
    let about = ArticleInput {
        kind: Kind::Page.as_str().into(),
        slug: "gioi-thieu".into(),
        summary: text_vi::nfc("Giới thiệu Cổng thông tin phổ biến, giáo dục pháp luật tỉnh Lạng Sơn."),
        body_html: render(ABOUT_BODY),
        body_md: text_vi::nfc(ABOUT_BODY),
        title: about_title,
        ..ArticleInput::default()
    };
    let id = store::insert_article(&mut tx, &about, province.id, Some(tinh.id), now - Duration::days(30)).await?;
    store::insert_version(&mut tx, id, 1, &about, Some(tinh.id), now - Duration::days(30)).await?;
    store::set_status(&mut tx, id, (1, Status::Draft.as_str()), Status::Published.as_str(), "", Some((now - Duration::days(30), tinh.id)), now - Duration::days(30)).await?;

    audit::record(&mut tx, &actor, Entry {
        action: "create", entity: "article", entity_id: None, unit_id: Some(province.id),
        summary: "Dữ liệu mẫu: cổng thông tin (chuyên mục, chiến dịch Ngày Pháp luật, tin bài)".into(), before: None, after: None,
    })
    .await?;
    tx.commit().await?;
    // The published articles and the page go into the search feed.
    crate::service::feed_all(db).await?;
    Ok(())
}
