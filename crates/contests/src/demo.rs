//! The contests' demo data: an open contest of the demo province with one published round and
//! a bank of 30 questions on three topics (elections, grassroots mediation, legal dissemination),
//! and its organiser `btc` (role Contest organiser, at the province).

use chrono::Duration;
use kernel::Db;
use kernel::account::Role;
use kernel::db::audit::{self, Actor, Entry};

use crate::rules::bank::Question;
use crate::rules::settings::{Counting, PredictionKind, Prize, Quota, RankKey, ShowAnswers};
use crate::store::{self, ContestInput, RoundInput};

/// A demo question: text, options, the correct option's index, explanation, topic, legal source,
/// difficulty code.
pub type Sample = (&'static str, [&'static str; 4], usize, &'static str, &'static str, &'static str, &'static str);

const ELECTION: &str = "Bầu cử";
const MEDIATION: &str = "Hòa giải ở cơ sở";
const DISSEMINATION: &str = "Phổ biến, giáo dục pháp luật";
const ELECTION_LAW: &str = "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân năm 2015";
const MEDIATION_LAW: &str = "Luật Hòa giải ở cơ sở năm 2013";
const PBGDPL_LAW: &str = "Luật Phổ biến, giáo dục pháp luật năm 2012";

pub const SAMPLE: [Sample; 30] = [
    ("Công dân nước Cộng hòa xã hội chủ nghĩa Việt Nam đủ bao nhiêu tuổi trở lên có quyền bầu cử?", ["Đủ 18 tuổi", "Đủ 16 tuổi", "Đủ 20 tuổi", "Đủ 21 tuổi"], 0, "Công dân đủ mười tám tuổi trở lên có quyền bầu cử.", ELECTION, ELECTION_LAW, "de"),
    ("Công dân đủ bao nhiêu tuổi trở lên có quyền ứng cử đại biểu Quốc hội, đại biểu Hội đồng nhân dân?", ["Đủ 18 tuổi", "Đủ 21 tuổi", "Đủ 25 tuổi", "Đủ 30 tuổi"], 1, "Công dân đủ hai mươi mốt tuổi trở lên có quyền ứng cử.", ELECTION, ELECTION_LAW, "de"),
    ("Việc bầu cử đại biểu Quốc hội được tiến hành theo những nguyên tắc nào?", ["Phổ thông, bình đẳng, trực tiếp và bỏ phiếu kín", "Tự nguyện, công khai, gián tiếp", "Phổ thông, công khai, bỏ phiếu giơ tay", "Bình đẳng, gián tiếp, bỏ phiếu kín"], 0, "Bầu cử theo nguyên tắc phổ thông, bình đẳng, trực tiếp và bỏ phiếu kín.", ELECTION, ELECTION_LAW, "de"),
    ("Nhiệm kỳ của mỗi khóa Quốc hội là bao nhiêu năm?", ["4 năm", "5 năm", "6 năm", "3 năm"], 1, "Nhiệm kỳ của mỗi khóa Quốc hội là năm năm.", ELECTION, "Hiến pháp năm 2013", "de"),
    ("Ngày bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân phải là ngày nào trong tuần?", ["Thứ Bảy", "Ngày Chủ nhật", "Thứ Hai", "Bất kỳ ngày nào"], 1, "Ngày bầu cử phải là ngày Chủ nhật.", ELECTION, ELECTION_LAW, "trung_binh"),
    ("Ngày bầu cử được công bố chậm nhất bao nhiêu ngày trước ngày bầu cử?", ["60 ngày", "90 ngày", "115 ngày", "150 ngày"], 2, "Ngày bầu cử được công bố chậm nhất là 115 ngày trước ngày bầu cử.", ELECTION, ELECTION_LAW, "kho"),
    ("Cử tri ốm đau, già yếu không thể đến phòng bỏ phiếu thì được bỏ phiếu thế nào?", ["Không được bỏ phiếu", "Tổ bầu cử mang hòm phiếu phụ và phiếu bầu đến chỗ ở của cử tri", "Nhờ người thân bỏ phiếu thay", "Gửi phiếu qua đường bưu điện"], 1, "Tổ bầu cử mang hòm phiếu phụ và phiếu bầu đến chỗ ở, nơi điều trị của cử tri.", ELECTION, ELECTION_LAW, "trung_binh"),
    ("Cử tri không tự viết được phiếu bầu thì làm thế nào?", ["Nhờ người khác viết hộ nhưng phải tự mình bỏ phiếu", "Nhờ người khác bỏ phiếu thay", "Không được tham gia bầu cử", "Để Tổ bầu cử ghi phiếu và bỏ phiếu thay"], 0, "Cử tri không tự viết được phiếu bầu thì nhờ người khác viết hộ nhưng phải tự mình bỏ phiếu.", ELECTION, ELECTION_LAW, "trung_binh"),
    ("Hội đồng bầu cử quốc gia do cơ quan nào thành lập?", ["Chính phủ", "Quốc hội", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Chủ tịch nước"], 1, "Hội đồng bầu cử quốc gia do Quốc hội thành lập.", ELECTION, ELECTION_LAW, "kho"),
    ("Người bị kết án tử hình đang trong thời gian chờ thi hành án có được ghi tên vào danh sách cử tri không?", ["Có", "Không", "Có, nếu có đơn đề nghị", "Tùy Tổ bầu cử quyết định"], 1, "Người bị kết án tử hình đang trong thời gian chờ thi hành án không được ghi tên vào danh sách cử tri.", ELECTION, ELECTION_LAW, "kho"),
    ("Luật Hòa giải ở cơ sở được Quốc hội thông qua năm nào?", ["Năm 2010", "Năm 2013", "Năm 2015", "Năm 2018"], 1, "Luật Hòa giải ở cơ sở số 35/2013/QH13 được thông qua ngày 20/6/2013.", MEDIATION, MEDIATION_LAW, "de"),
    ("Tổ hòa giải có ít nhất bao nhiêu hòa giải viên?", ["2 hòa giải viên", "3 hòa giải viên", "5 hòa giải viên", "7 hòa giải viên"], 1, "Tổ hòa giải có từ 03 hòa giải viên trở lên.", MEDIATION, MEDIATION_LAW, "trung_binh"),
    ("Ai ra quyết định công nhận hòa giải viên?", ["Trưởng thôn, tổ trưởng tổ dân phố", "Chủ tịch Ủy ban nhân dân cấp xã", "Trưởng ban công tác Mặt trận", "Chủ tịch Ủy ban nhân dân cấp tỉnh"], 1, "Chủ tịch Ủy ban nhân dân cấp xã ra quyết định công nhận hòa giải viên.", MEDIATION, MEDIATION_LAW, "trung_binh"),
    ("Hòa giải ở cơ sở phải tôn trọng nguyên tắc nào sau đây?", ["Sự tự nguyện của các bên", "Ý kiến của trưởng thôn", "Quyết định của đa số người dân", "Ý kiến của người lớn tuổi nhất"], 0, "Tôn trọng sự tự nguyện của các bên là nguyên tắc của hòa giải ở cơ sở.", MEDIATION, MEDIATION_LAW, "de"),
    ("Tổ trưởng tổ hòa giải được chọn như thế nào?", ["Do Chủ tịch Ủy ban nhân dân cấp xã chỉ định", "Do các hòa giải viên trong tổ bầu", "Do trưởng thôn chỉ định", "Do Hội đồng nhân dân cấp xã bầu"], 1, "Tổ trưởng tổ hòa giải được bầu trong số các hòa giải viên.", MEDIATION, MEDIATION_LAW, "trung_binh"),
    ("Việc nào sau đây không được hòa giải ở cơ sở?", ["Mâu thuẫn giữa các thành viên gia đình", "Tranh chấp nhỏ về ranh giới đất giữa hai nhà", "Hành vi vi phạm pháp luật mà theo quy định phải bị truy cứu trách nhiệm hình sự", "Mâu thuẫn giữa hàng xóm về lối đi chung"], 2, "Không hòa giải những hành vi vi phạm pháp luật mà theo quy định phải bị truy cứu trách nhiệm hình sự.", MEDIATION, MEDIATION_LAW, "kho"),
    ("Hòa giải viên có quyền nào sau đây?", ["Được hưởng thù lao theo vụ việc", "Xử phạt vi phạm hành chính", "Buộc các bên phải thỏa thuận", "Cưỡng chế thi hành kết quả hòa giải"], 0, "Hòa giải viên được hưởng thù lao theo vụ việc khi thực hiện hòa giải.", MEDIATION, MEDIATION_LAW, "trung_binh"),
    ("Luật Hòa giải ở cơ sở có hiệu lực thi hành từ ngày nào?", ["01/7/2013", "01/01/2014", "01/7/2014", "01/01/2015"], 1, "Luật Hòa giải ở cơ sở có hiệu lực từ ngày 01/01/2014.", MEDIATION, MEDIATION_LAW, "kho"),
    ("Hòa giải ở cơ sở nhằm mục đích gì?", ["Giúp các bên tự nguyện đạt được thỏa thuận giải quyết mâu thuẫn, tranh chấp", "Xét xử các tranh chấp dân sự", "Xử phạt người vi phạm", "Thu phí giải quyết tranh chấp"], 0, "Hòa giải ở cơ sở là việc hòa giải viên hướng dẫn, giúp đỡ các bên đạt được thỏa thuận, tự nguyện giải quyết với nhau các mâu thuẫn, tranh chấp.", MEDIATION, MEDIATION_LAW, "de"),
    ("Khi các bên không đạt được thỏa thuận, hòa giải viên có thể làm gì?", ["Hướng dẫn các bên đề nghị cơ quan, tổ chức có thẩm quyền giải quyết", "Tự quyết định thay các bên", "Phạt tiền bên có lỗi", "Chấm dứt hoạt động của tổ hòa giải"], 0, "Hòa giải không thành thì hòa giải viên hướng dẫn các bên đề nghị cơ quan, tổ chức có thẩm quyền giải quyết.", MEDIATION, MEDIATION_LAW, "trung_binh"),
    ("Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam là ngày nào?", ["Ngày 2 tháng 9", "Ngày 9 tháng 11", "Ngày 19 tháng 5", "Ngày 1 tháng 7"], 1, "Ngày 9 tháng 11 hằng năm là Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam.", DISSEMINATION, PBGDPL_LAW, "de"),
    ("Luật Phổ biến, giáo dục pháp luật được Quốc hội thông qua năm nào?", ["Năm 2008", "Năm 2012", "Năm 2013", "Năm 2016"], 1, "Luật Phổ biến, giáo dục pháp luật số 14/2012/QH13 được thông qua ngày 20/6/2012.", DISSEMINATION, PBGDPL_LAW, "de"),
    ("Hiến pháp hiện hành của nước Cộng hòa xã hội chủ nghĩa Việt Nam được thông qua năm nào?", ["Năm 1992", "Năm 2001", "Năm 2013", "Năm 2015"], 2, "Hiến pháp năm 2013 được Quốc hội thông qua ngày 28/11/2013.", DISSEMINATION, "Hiến pháp năm 2013", "de"),
    ("Luật Phổ biến, giáo dục pháp luật có hiệu lực thi hành từ ngày nào?", ["01/7/2012", "01/01/2013", "01/7/2013", "09/11/2013"], 1, "Luật Phổ biến, giáo dục pháp luật có hiệu lực từ ngày 01/01/2013.", DISSEMINATION, PBGDPL_LAW, "kho"),
    ("Cơ quan nào giúp Chính phủ thực hiện quản lý nhà nước về phổ biến, giáo dục pháp luật?", ["Bộ Tư pháp", "Bộ Công an", "Bộ Giáo dục và Đào tạo", "Bộ Nội vụ"], 0, "Bộ Tư pháp chịu trách nhiệm trước Chính phủ thực hiện quản lý nhà nước về phổ biến, giáo dục pháp luật.", DISSEMINATION, PBGDPL_LAW, "de"),
    ("Ai ra quyết định công nhận tuyên truyền viên pháp luật ở cấp xã?", ["Chủ tịch Ủy ban nhân dân cấp xã", "Bộ trưởng Bộ Tư pháp", "Trưởng thôn", "Chủ tịch Hội đồng nhân dân cấp xã"], 0, "Chủ tịch Ủy ban nhân dân cấp xã ra quyết định công nhận tuyên truyền viên pháp luật.", DISSEMINATION, PBGDPL_LAW, "trung_binh"),
    ("Ngày Pháp luật được tổ chức hằng năm nhằm mục đích gì?", ["Tôn vinh Hiến pháp, pháp luật và giáo dục ý thức thượng tôn pháp luật", "Tổng kết công tác xét xử", "Bầu cử đại biểu Hội đồng nhân dân", "Kiểm tra việc thi hành án"], 0, "Ngày Pháp luật được tổ chức nhằm tôn vinh Hiến pháp, pháp luật, giáo dục ý thức thượng tôn pháp luật.", DISSEMINATION, PBGDPL_LAW, "trung_binh"),
    ("Hình thức nào sau đây là một hình thức phổ biến, giáo dục pháp luật được Luật quy định?", ["Tổ chức thi tìm hiểu pháp luật", "Xử phạt vi phạm hành chính", "Hòa giải thương mại", "Trưng cầu ý dân"], 0, "Tổ chức thi tìm hiểu pháp luật là một hình thức phổ biến, giáo dục pháp luật.", DISSEMINATION, PBGDPL_LAW, "trung_binh"),
    ("Báo cáo viên pháp luật ở địa phương do ai ra quyết định công nhận?", ["Chủ tịch Ủy ban nhân dân cấp tỉnh", "Giám đốc Sở Tư pháp", "Chủ tịch Ủy ban nhân dân cấp xã", "Bộ trưởng Bộ Tư pháp"], 0, "Chủ tịch Ủy ban nhân dân cấp tỉnh ra quyết định công nhận báo cáo viên pháp luật ở địa phương.", DISSEMINATION, PBGDPL_LAW, "kho"),
    ("Người nào sau đây có thể được công nhận là tuyên truyền viên pháp luật?", ["Người có uy tín, có kiến thức pháp luật và khả năng truyền đạt", "Bất kỳ ai dưới 18 tuổi", "Người đang chấp hành án phạt tù", "Chỉ công chức tư pháp"], 0, "Tuyên truyền viên pháp luật là người có phẩm chất đạo đức tốt, uy tín, hiểu biết pháp luật và khả năng truyền đạt.", DISSEMINATION, PBGDPL_LAW, "trung_binh"),
];

/// The sample as a checked bank question.
pub fn question(s: &Sample) -> Question {
    Question { text: s.0.into(), options: s.1.iter().map(|o| o.to_string()).collect(), correct: s.2, explanation: s.3.into(), topic: s.4.into(), difficulty: s.6.into(), source: s.5.into() }
}

/// Loads the demo contest (once).
pub async fn load(db: &Db) -> kernel::DbResult<()> {
    let tinh = kernel::db::accounts::by_username(db, "tinh").await?;
    if !store::contests_in(db, "%").await?.is_empty() {
        return Ok(());
    }
    let input = ContestInput {
        title: "Cuộc thi trực tuyến tìm hiểu pháp luật về bầu cử và hòa giải ở cơ sở".into(),
        intro: "Nhằm hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam, Ủy ban nhân dân tỉnh tổ chức cuộc thi trực tuyến tìm hiểu pháp luật dành cho mọi người dân trên địa bàn tỉnh.".into(),
        min_age: Some(15),
        area_unit_id: tinh.unit_id,
        require_id_number: false,
        one_prize_per_person: false,
    };
    let now = kernel::now();
    let round = RoundInput {
        title: "Vòng 1".into(),
        starts_at: now - Duration::days(1),
        ends_at: now + Duration::days(30),
        time_limit_s: 15 * 60,
        grace_s: 10,
        max_attempts: 3,
        counting: Counting::Best,
        quotas: vec![
            Quota { topic: ELECTION.into(), difficulty: String::new(), count: 4 },
            Quota { topic: MEDIATION.into(), difficulty: String::new(), count: 3 },
            Quota { topic: String::new(), difficulty: "kho".into(), count: 1 },
            Quota { topic: String::new(), difficulty: String::new(), count: 2 },
        ],
        prediction: Some(PredictionKind::CorrectAllCount),
        prediction_text: "Theo Ông/Bà, có bao nhiêu người trả lời đúng tất cả các câu hỏi của vòng thi?".into(),
        keys: RankKey::DEFAULT.to_vec(),
        prizes: vec![
            Prize { name: "Giải Nhất".into(), count: 1, amount: 2_000_000 },
            Prize { name: "Giải Nhì".into(), count: 2, amount: 1_000_000 },
            Prize { name: "Giải Ba".into(), count: 3, amount: 500_000 },
        ],
        show_answers: ShowAnswers::OnSubmit,
    };
    let mut tx = db.begin().await?;
    // The organiser of the province's contest, sharing the demo password (the hash of `tinh`).
    let btc = kernel::db::accounts::create(&mut tx, &kernel::db::accounts::NewAccount {
        username: "btc".into(),
        full_name: text_vi::nfc("Lương Văn Hùng"),
        email: Some("btc@demo.pbgdpl.local".into()),
        password_hash: tinh.password_hash.clone(),
        role: Role::ContestOrganiser.as_str().into(),
        unit_id: tinh.unit_id,
        agency_id: None,
        must_change_password: false,
    })
    .await?;
    audit::record(&mut tx, &Actor::cli(), Entry {
        action: "create", entity: "account", entity_id: Some(btc.to_string()), unit_id: Some(tinh.unit_id),
        summary: format!("Dữ liệu mẫu: tài khoản btc ({})", Role::ContestOrganiser.label()), before: None, after: None,
    })
    .await?;
    let id = store::insert_contest(&mut tx, tinh.unit_id, &input).await?;
    for s in &SAMPLE {
        store::insert_question(&mut tx, id, &question(s)).await?;
    }
    store::insert_round(&mut tx, id, &round).await?;
    store::set_contest_status(&mut tx, id, "published").await?;
    tx.commit().await?;
    let c = store::contest(db, id).await?;
    for r in store::rounds(db, id).await? {
        crate::service::publish_round(db, &Actor::cli(), &c, &r).await.map_err(|e| kernel::DbError::Invalid(e.to_string()))?.map_err(kernel::DbError::Invalid)?;
    }
    Ok(())
}
