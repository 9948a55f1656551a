//! The brand API versions a token can be made for.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An API version from 11 to 14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct ApiVersion(u8);

/// A number that is not a selectable API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("Choose an API version from 11 to 14.")]
pub struct UnknownApiVersion;

impl ApiVersion {
    /// The newest version, preselected in the wizard.
    pub const LATEST: ApiVersion = ApiVersion(14);
    /// Every selectable version, newest first.
    pub const ALL: [ApiVersion; 4] = [
        ApiVersion(14),
        ApiVersion(13),
        ApiVersion(12),
        ApiVersion(11),
    ];

    /// Checks that `number` is a selectable version.
    pub fn new(number: u8) -> Result<Self, UnknownApiVersion> {
        if (11..=14).contains(&number) {
            Ok(Self(number))
        } else {
            Err(UnknownApiVersion)
        }
    }

    /// The version number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self::LATEST
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl TryFrom<u8> for ApiVersion {
    type Error = UnknownApiVersion;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<ApiVersion> for u8 {
    fn from(value: ApiVersion) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_11_to_14() {
        for n in 11..=14 {
            assert_eq!(ApiVersion::new(n).map(u8::from), Ok(n));
        }
        for n in [0, 10, 15, 255] {
            assert_eq!(ApiVersion::new(n), Err(UnknownApiVersion));
        }
        assert_eq!(ApiVersion::default(), ApiVersion::LATEST);
        assert_eq!(ApiVersion::ALL[0], ApiVersion::LATEST);
    }
}
