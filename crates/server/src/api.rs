//! The assembled OpenAPI document of the JSON API under `/api/v1`: the kernel's document with
//! each capability's paths merged in, served at `GET /api/v1/openapi.json`. The routes
//! themselves come from the kernel and the capabilities; see `kernel::api` for the conventions.

use axum::Json;
use axum::Router;
use axum::routing::get;
use kernel::api::method_not_allowed;
use kernel::routes::ApiRoute;
use kernel::state::AppState;
use utoipa::OpenApi as _;

/// The server's own API route (the OpenAPI document).
pub const SERVER_API_ROUTES: &[ApiRoute] = &[("GET", "/api/v1/openapi.json", None)];

/// The server's own API route, the OpenAPI document. Each capability's `routes()` brings its
/// API routes; the kernel's API routes and the JSON 404 are added by `kernel::routes::assemble`.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi_json).fallback(method_not_allowed))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(openapi_json))]
struct ServerDoc;

/// The OpenAPI 3.1 description of the whole API: the kernel's document with each capability's
/// paths, schemas and tags merged in, and the shared conventions applied
/// ([`kernel::api::apply_conventions`]). `scripts/schemathesis.sh` checks it against the
/// server's answers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = kernel::api::openapi();
    for (_, part) in parts() {
        doc.merge(part);
    }
    kernel::api::apply_conventions(&mut doc);
    doc
}

/// The parts merged into the kernel's document, in order: the server's, then each
/// capability's. A schema name must mean one schema across them all, since merging keeps only
/// one of two same-named schemas (`tests::schema_names_are_not_shared`).
fn parts() -> Vec<(&'static str, utoipa::openapi::OpenApi)> {
    vec![
        ("server", ServerDoc::openapi()),
        ("reports", reports::api::openapi()),
        ("legal_access", legal_access::api::openapi()),
        ("surveys", surveys::api::openapi()),
        ("mediation", mediation::api::openapi()),
        ("disseminators", disseminators::api::openapi()),
        ("bookshelf", bookshelf::api::openapi()),
        ("portal", portal::api::openapi()),
        ("inquiries", inquiries::api::openapi()),
        ("contests", contests::api::openapi()),
        ("drafts", drafts::api::openapi()),
        ("search", search::api::openapi()),
    ]
}

/// `GET /api/v1/openapi.json` (public).
#[utoipa::path(
    get, operation_id = "get_openapi", path = "/api/v1/openapi.json", tag = "meta",
    summary = "Mô tả OpenAPI của API",
    responses((status = 200, description = "OpenAPI document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::routes::api_routes;

    #[test]
    fn every_route_is_documented() {
        let doc = openapi();
        for (method, path, _) in api_routes().iter().copied() {
            let item = doc.paths.paths.get(path);
            assert!(item.is_some(), "{path} missing from OpenAPI");
            let item = item.unwrap();
            let op = match method {
                "GET" => &item.get,
                "POST" => &item.post,
                "PUT" => &item.put,
                "DELETE" => &item.delete,
                _ => &None,
            };
            assert!(op.is_some(), "{method} {path} missing from OpenAPI");
        }
        let documented: usize = doc
            .paths
            .paths
            .values()
            .map(|i| [&i.get, &i.post, &i.put, &i.patch, &i.delete].iter().filter(|o| o.is_some()).count())
            .sum();
        assert_eq!(documented, api_routes().len());
    }

    #[test]
    fn protected_routes_declare_bearer_security() {
        let doc = openapi();
        for (method, path, _) in api_routes().iter().copied() {
            let item = doc.paths.paths.get(path).unwrap();
            let op = match method {
                "GET" => item.get.as_ref(),
                "POST" => item.post.as_ref(),
                "PUT" => item.put.as_ref(),
                _ => item.delete.as_ref(),
            }
            .unwrap();
            let public = (method, path) == ("GET", "/api/v1/openapi.json") || (method, path) == ("POST", "/api/v1/tokens");
            assert_eq!(op.security.is_none(), public, "{method} {path}");
        }
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    }

    #[test]
    fn operations_are_well_formed() {
        let json = serde_json::to_value(openapi()).unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                assert!(ids.insert(id.clone()), "duplicate operationId {id} on {method} {path}");
                for (status, resp) in op["responses"].as_object().unwrap() {
                    assert!(resp["description"].is_string(), "{method} {path} {status} lacks a description");
                }
            }
        }
        assert_eq!(ids.len(), api_routes().len());
    }

    /// The static half of what `scripts/schemathesis.sh` checks against the running server:
    /// every status that the shared extractors and parsers can answer is documented, with a
    /// JSON body, and the paging parameters carry the bounds that `Params` applies.
    #[test]
    fn every_operation_documents_its_error_answers() {
        let json = serde_json::to_value(openapi()).unwrap();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let at = format!("{method} {path}");
                let responses = op["responses"].as_object().unwrap();
                let documents = |status: &str| responses.contains_key(status);
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                let has_body = op.get("requestBody").is_some();
                if op.get("security").is_some() {
                    // The bearer token (`Caller`): missing or revoked, or must change password.
                    assert!(documents("401") && documents("403"), "{at}: 401 and 403");
                }
                if !params.is_empty() || has_body {
                    // `Params`, `parse_id`, `path_segment` and `json_body` answer 400.
                    assert!(documents("400"), "{at}: 400");
                }
                if has_body {
                    assert!(documents("413"), "{at}: 413");
                }
                for (status, resp) in responses {
                    if status.starts_with('4') {
                        assert!(resp["content"]["application/json"]["schema"].is_object(), "{at} {status}: JSON body");
                    }
                }
                for p in &params {
                    let name = p["name"].as_str().unwrap();
                    if p["in"] == "query" && p["required"] == false {
                        assert_eq!(p["allowEmptyValue"], true, "{at} {name}");
                    }
                    match name {
                        "limit" => assert_eq!(p["schema"]["minimum"], 1, "{at} limit"),
                        "offset" => assert_eq!(p["schema"]["minimum"], 0, "{at} offset"),
                        _ => {}
                    }
                }
            }
        }
    }

    /// Two parts that name different schemas alike would see one of them silently replaced in
    /// the merged document (and its answers checked against the other's schema).
    #[test]
    fn schema_names_are_not_shared() {
        let mut seen: std::collections::BTreeMap<String, (&str, serde_json::Value)> = std::collections::BTreeMap::new();
        let all = std::iter::once(("kernel", kernel::api::openapi())).chain(parts());
        for (owner, part) in all {
            for (name, schema) in part.components.map(|c| c.schemas).unwrap_or_default() {
                let json = serde_json::to_value(&schema).unwrap();
                if let Some((first, before)) = seen.get(&name) {
                    assert_eq!(before, &json, "schema {name} of {owner} differs from {first}'s");
                } else {
                    seen.insert(name, (owner, json));
                }
            }
        }
    }

    #[test]
    fn router_builds() {
        let _ = router();
    }
}
