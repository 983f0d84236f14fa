//! Parsing of query strings, path segments and JSON bodies for the API. Every failure becomes a
//! JSON answer with a Vietnamese message from the catalogue (and the name of the offending
//! parameter), never axum's plain-text rejection. Nothing here panics on input.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use crate::msg;
use crate::unit::UnitLevel;

use crate::error::ApiError;

/// Page size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest page size; larger `limit` values are lowered to this.
pub const MAX_LIMIT: i64 = 1000;
/// Longest free-text filter (`q`, `username`, ...), in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// An API failure: the shared [`ApiError`] plus, for invalid input, the name of the parameter
/// at fault. Answered as `{"error": code, "message": "...", "param": "limit"}` (`param` only
/// when known).
#[derive(Debug)]
pub struct Error {
    pub api: ApiError,
    pub param: Option<&'static str>,
}

pub type ApiResult<T> = Result<T, Error>;

impl Error {
    /// A 400 answer about one parameter.
    pub fn invalid(param: &'static str, message: &'static str) -> Error {
        Error { api: ApiError::bad_request(message), param: Some(param) }
    }

    /// A 404 answer about one parameter (e.g. an unknown `parent` unit).
    pub fn unknown(param: &'static str, message: &'static str) -> Error {
        Error { api: ApiError::new(StatusCode::NOT_FOUND, "not_found", message), param: Some(param) }
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error { api, param: None }
    }
}

impl From<crate::db::DbError> for Error {
    fn from(e: crate::db::DbError) -> Self {
        Error { api: ApiError::from(e), param: None }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self.param {
            None => self.api.into_response(),
            Some(param) => {
                let body = serde_json::json!({"error": self.api.code, "message": self.api.message, "param": param});
                (self.api.status, Json(body)).into_response()
            }
        }
    }
}

/// The decoded query string as (name, value) pairs, in order.
#[derive(Clone, Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes a raw query string; undecodable input is a 400.
    pub fn parse(query: Option<&str>) -> ApiResult<Params> {
        match query {
            None => Ok(Params::default()),
            Some(q) => serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .map(Params)
                .map_err(|_| Error::from(ApiError::bad_request(msg::BAD_REQUEST))),
        }
    }

    /// The first non-blank value of `name`, trimmed. Blank values count as absent, so that
    /// `?level=` from an empty form field means "no filter".
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// `limit`: a positive integer, [`DEFAULT_LIMIT`] when absent, at most [`MAX_LIMIT`].
    pub fn limit(&self) -> ApiResult<i64> {
        match self.get("limit") {
            None => Ok(DEFAULT_LIMIT),
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 1 => Ok(n.min(MAX_LIMIT)),
                _ => Err(Error::invalid("limit", msg::BAD_REQUEST)),
            },
        }
    }

    /// `offset`: a non-negative integer, 0 when absent.
    pub fn offset(&self) -> ApiResult<i64> {
        match self.get("offset") {
            None => Ok(0),
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 0 => Ok(n),
                _ => Err(Error::invalid("offset", msg::BAD_REQUEST)),
            },
        }
    }

    /// A date, `YYYY-MM-DD` (also accepted: `dd/mm/yyyy`).
    pub fn date(&self, name: &'static str) -> ApiResult<Option<NaiveDate>> {
        self.get(name)
            .map(|s| text_vi::parse_date(s).map_err(|_| Error::invalid(name, msg::INVALID_DATE)))
            .transpose()
    }

    /// `level`: `province`, `district`, `commune` or `village`.
    pub fn level(&self) -> ApiResult<Option<UnitLevel>> {
        self.get("level")
            .map(|s| UnitLevel::parse(s).ok_or(Error::invalid("level", msg::BAD_REQUEST)))
            .transpose()
    }

    /// Free text, NFC-normalised, at most [`MAX_TEXT_CHARS`] characters.
    pub fn text(&self, name: &'static str) -> ApiResult<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(s) => {
                let s = text_vi::nfc(s);
                if s.chars().count() > MAX_TEXT_CHARS {
                    Err(Error::invalid(name, msg::TOO_LONG))
                } else {
                    Ok(Some(s))
                }
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Params::parse(parts.uri.query())
    }
}

/// A numeric id from a path segment.
pub fn parse_id(s: &str) -> ApiResult<i64> {
    s.trim().parse::<i64>().map_err(|_| Error::invalid("id", msg::BAD_REQUEST))
}

/// The path segment, or a 400 when it cannot be decoded.
pub fn path_segment(p: Result<axum::extract::Path<String>, PathRejection>, param: &'static str) -> ApiResult<String> {
    p.map(|axum::extract::Path(s)| s).map_err(|_| Error::invalid(param, msg::BAD_REQUEST))
}

/// The JSON body, or a JSON 400 (413 when too large) with a Vietnamese message.
pub fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    match body {
        Ok(Json(v)) => Ok(v),
        Err(rejection) => {
            tracing::debug!(error = %rejection.body_text(), "rejected API request body");
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", msg::TOO_LARGE).into())
            } else {
                Err(ApiError::bad_request(msg::BAD_REQUEST).into())
            }
        }
    }
}

/// Trims and NFC-normalises an optional body field; blank is absent; longer than `max`
/// characters is a 400 naming `param`.
pub fn clean_field(value: Option<&str>, param: &'static str, max: usize) -> ApiResult<Option<String>> {
    let Some(v) = value.map(|v| text_vi::clean_input(v.trim()).trim().to_string()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(Error::invalid(param, msg::TOO_LONG));
    }
    Ok(Some(v))
}

/// A JSON number that is a whole number: `12`, and also `12.0` (JSON, and the schema's
/// `integer`, do not tell them apart; some clients write every number as a float).
pub fn whole_number(n: &serde_json::Number) -> Option<i64> {
    // 2^63: the first f64 above i64::MAX.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // Whole and in range, so the cast is exact.
        (f.fract() == 0.0 && (-I64_END..I64_END).contains(&f)).then_some(f as i64)
    })
}

/// Deserializes a whole number that may be written as a float (see [`whole_number`]).
pub fn whole_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = <serde_json::Number as serde::Deserialize>::deserialize(d)?;
    whole_number(&n).ok_or_else(|| serde::de::Error::custom("not a whole number"))
}

/// Like [`whole_i64`] for an optional field (`null` or absent is `None`).
pub fn whole_i64_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match <Option<serde_json::Number> as serde::Deserialize>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole_number(&n).map(Some).ok_or_else(|| serde::de::Error::custom("not a whole number")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(q: &str) -> Params {
        Params::parse(Some(q)).unwrap()
    }

    fn param_of<T: std::fmt::Debug>(r: ApiResult<T>) -> (StatusCode, Option<&'static str>, String) {
        let e = r.unwrap_err();
        (e.api.status, e.param, e.api.message)
    }

    #[test]
    fn limits_and_offsets() {
        assert_eq!(p("").limit().unwrap(), DEFAULT_LIMIT);
        assert_eq!(p("limit=").limit().unwrap(), DEFAULT_LIMIT);
        assert_eq!(p("limit=5").limit().unwrap(), 5);
        assert_eq!(p("limit=%205%20").limit().unwrap(), 5);
        assert_eq!(p("limit=100000").limit().unwrap(), MAX_LIMIT);
        for bad in ["limit=abc", "limit=0", "limit=-1", "limit=1.5", "limit=99999999999999999999"] {
            let (status, param, message) = param_of(p(bad).limit());
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(param, Some("limit"));
            assert_eq!(message, msg::BAD_REQUEST);
        }
        assert_eq!(p("offset=20").offset().unwrap(), 20);
        assert_eq!(p("").offset().unwrap(), 0);
        assert_eq!(param_of(p("offset=-3").offset()).1, Some("offset"));
        assert_eq!(param_of(p("offset=x").offset()).1, Some("offset"));
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(p("valid_on=2025-07-01").date("valid_on").unwrap(), Some(d));
        assert_eq!(p("valid_on=01/07/2025").date("valid_on").unwrap(), Some(d));
        assert_eq!(p("x=1").date("valid_on").unwrap(), None);
        for bad in ["valid_on=2025-02-30", "valid_on=hom-nay", "valid_on=2025-7"] {
            let (status, param, message) = param_of(p(bad).date("valid_on"));
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(param, Some("valid_on"));
            assert_eq!(message, msg::INVALID_DATE);
        }
    }

    #[test]
    fn levels() {
        assert_eq!(p("level=commune").level().unwrap(), Some(UnitLevel::Commune));
        assert_eq!(p("level=").level().unwrap(), None);
        assert_eq!(param_of(p("level=huyen").level()).1, Some("level"));
        assert_eq!(param_of(p("level=Commune").level()).1, Some("level"));
    }

    #[test]
    fn text_and_repeats() {
        // Decomposed "Hà" is stored composed.
        assert_eq!(p("q=Ha%CC%80%20").text("q").unwrap().as_deref(), Some("Hà"));
        assert_eq!(p("q=&q=b&q=c").get("q"), Some("b"));
        let long = format!("q={}", "a".repeat(MAX_TEXT_CHARS + 1));
        let (status, param, message) = param_of(p(&long).text("q"));
        assert_eq!((status, param), (StatusCode::BAD_REQUEST, Some("q")));
        assert_eq!(message, msg::TOO_LONG);
        assert!(p(&format!("q={}", "ạ".repeat(MAX_TEXT_CHARS))).text("q").unwrap().is_some());
    }

    #[test]
    fn undecodable_query_never_panics() {
        // Invalid UTF-8 after percent-decoding.
        let e = Params::parse(Some("q=%FF%FE")).map(|p| p.get("q").map(str::to_string));
        // serde_urlencoded decodes lossily; either way no panic and no garbage error.
        if let Err(e) = e {
            assert_eq!(e.api.status, StatusCode::BAD_REQUEST);
        }
    }

    #[test]
    fn ids_and_fields() {
        assert_eq!(parse_id("42").unwrap(), 42);
        assert_eq!(param_of(parse_id("4x")).1, Some("id"));
        assert_eq!(clean_field(Some("  "), "name", 10).unwrap(), None);
        assert_eq!(clean_field(None, "name", 10).unwrap(), None);
        assert_eq!(clean_field(Some(" Máy chủ "), "name", 10).unwrap().as_deref(), Some("Máy chủ"));
        assert_eq!(param_of(clean_field(Some("abcdefghijk"), "name", 10)).1, Some("name"));
    }
}

