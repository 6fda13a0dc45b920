//! tf-provider's diagnostics and attribute paths, as tfplugin6 carries them.

use tf_provider::{AttributePath, Diagnostics};

use crate::bindings as pb;

/// Diagnostics as tfplugin6 carries them: errors first.
pub fn diagnostics(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    use pb::diagnostic::Severity;
    let one = |d: tf_provider::Diagnostic, severity: Severity| pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary.into_owned(),
        detail: d.detail.into_owned(),
        attribute: (!d.attribute.steps.is_empty()).then(|| attribute_path(&d.attribute)),
    };
    let errors = diags.errors.into_iter().map(|d| one(d, Severity::Error));
    let warnings = diags
        .warnings
        .into_iter()
        .map(|d| one(d, Severity::Warning));
    errors.chain(warnings).collect()
}

/// One error diagnostic on the whole request, built directly on the wire type.
pub fn error(summary: String, detail: String) -> Vec<pb::Diagnostic> {
    vec![pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error as i32,
        summary,
        detail,
        attribute: None,
    }]
}

/// An attribute path, as tfplugin6 carries it.
pub fn attribute_path(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    use tf_provider::AttributePathStep as S;
    pb::AttributePath {
        steps: path
            .steps
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    S::Attribute(a) => Selector::AttributeName(a.to_string()),
                    S::Key(k) => Selector::ElementKeyString(k.to_string()),
                    S::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_severities() {
        let mut d = Diagnostics::default();
        d.root_warning("w", "");
        d.error(
            "e",
            "detail",
            AttributePath::new("secrets").index(2).attribute("key"),
        );
        let pb = diagnostics(d);
        assert_eq!(pb[0].summary, "e");
        assert_eq!(pb[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(pb[0].attribute.as_ref().unwrap().steps.len(), 3);
        assert_eq!(pb[1].severity, pb::diagnostic::Severity::Warning as i32);
        assert!(pb[1].attribute.is_none());
    }
}
