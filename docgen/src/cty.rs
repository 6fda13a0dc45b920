//! Cty types as the schema JSON spells them (`"string"`, `["list", "number"]`, …): their
//! tfplugindocs names, and the object fields a nested section lists.

use serde_json::{Map, Value};

/// tfplugindocs' name of a cty type: `String`, `List of Object`, …
pub fn type_name(ty: &Value) -> String {
    if let Some(s) = ty.as_str() {
        return match s {
            "string" => "String",
            "number" => "Number",
            "bool" => "Boolean",
            "dynamic" => "Dynamic",
            other => other,
        }
        .to_string();
    }
    let Some(parts) = ty.as_array() else {
        return "Dynamic".into();
    };
    let element = || {
        parts
            .get(1)
            .map(type_name)
            .unwrap_or_else(|| "Dynamic".into())
    };
    match parts.first().and_then(Value::as_str) {
        Some("list") => format!("List of {}", element()),
        Some("set") => format!("Set of {}", element()),
        Some("map") => format!("Map of {}", element()),
        Some("object") => "Object".into(),
        Some("tuple") => "Tuple".into(),
        _ => "Dynamic".into(),
    }
}

/// The object type's fields, looking through lists, sets and maps.
pub(crate) fn object_fields(ty: &Value) -> Option<&Map<String, Value>> {
    let parts = ty.as_array()?;
    match parts.first()?.as_str()? {
        "object" => parts.get(1)?.as_object(),
        "list" | "set" | "map" => object_fields(parts.get(1)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let t = |s: &str| type_name(&serde_json::from_str(s).unwrap());
        assert_eq!(t(r#""bool""#), "Boolean");
        assert_eq!(t(r#"["set",["list","number"]]"#), "Set of List of Number");
        assert_eq!(t(r#"["map",["object",{}]]"#), "Map of Object");
        assert_eq!(t(r#""dynamic""#), "Dynamic");
    }

    #[test]
    fn object_fields_look_through_collections() {
        let fields = |s: &str| {
            object_fields(&serde_json::from_str(s).unwrap())
                .map(|f| f.keys().cloned().collect::<Vec<_>>())
        };
        assert_eq!(
            fields(r#"["list",["object",{"id":"string"}]]"#),
            Some(vec!["id".to_string()])
        );
        assert_eq!(fields(r#"["list","string"]"#), None);
    }
}
