//! Terraform's number type as msgpack carries it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Terraform number as it arrives in msgpack: an integer when it fits 64 bits, a float
/// when one holds it exactly, otherwise its decimal text (cty's encoding).
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    /// A whole number that fits 64 bits.
    Int(i64),
    /// A number a float holds exactly.
    Float(f64),
    /// Any other number, in decimal.
    Text(String),
}

impl Number {
    /// The number, when it is a whole one from 0 to `max`.
    pub fn whole_up_to(&self, max: i64) -> Option<i64> {
        let n = match self {
            Number::Int(n) => *n,
            Number::Float(f) if f.fract() == 0.0 && (0.0..=max as f64).contains(f) => *f as i64,
            Number::Float(_) => return None,
            Number::Text(t) => t.trim().parse().ok()?,
        };
        (0..=max).contains(&n).then_some(n)
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
            Number::Text(t) => f.write_str(t),
        }
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number::Int(n)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Int(n) => serializer.serialize_i64(*n),
            Number::Float(x) => serializer.serialize_f64(*x),
            Number::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, n: i64) -> Result<Number, E> {
                Ok(Number::Int(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Number, E> {
                Ok(i64::try_from(n).map_or_else(|_| Number::Text(n.to_string()), Number::Int))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Number, E> {
                Ok(Number::Float(x))
            }
            fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Number, E> {
                // Only a decimal number: anything else is not what Terraform sends.
                let numeric = !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
                if numeric {
                    Ok(Number::Text(t.to_string()))
                } else {
                    Err(E::invalid_type(serde::de::Unexpected::Str(t), &self))
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
