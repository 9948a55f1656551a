//! Public identifiers: a two-letter prefix followed by 32 letters and digits.

/// Declares a SID newtype, valid by construction, and its parse error.
macro_rules! sid_type {
    ($(#[$doc:meta])* $name:ident, $error:ident, $prefix:literal, $message:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        #[doc = concat!("A text that is not a `", stringify!($name), "`.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
        #[error($message)]
        pub struct $error;

        impl $name {
            /// The fixed prefix.
            pub const PREFIX: &'static str = $prefix;
            /// Letters and digits after the prefix.
            pub const BODY_LEN: usize = 32;

            /// Checks the shape of `input`.
            pub fn parse(input: &str) -> Result<Self, $error> {
                let body = input.strip_prefix(Self::PREFIX).ok_or($error)?;
                if body.len() == Self::BODY_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    Ok(Self(input.to_string()))
                } else {
                    Err($error)
                }
            }

            /// The SID as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

pub(crate) use sid_type;
