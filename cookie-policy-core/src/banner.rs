//! The texts of the consent banner: [`BannerText`].

/// One text of the consent banner and its preferences modal. Each has a
/// built-in English and French wording ([`Wording::banner`](crate::Wording::banner));
/// a policy may replace it in its `[banner]` table, under [`key`](BannerText::key).
///
/// ```
/// use cookie_policy_core::{BannerText, Wording};
///
/// assert_eq!(BannerText::AcceptAll.key(), "accept_all");
/// assert_eq!(Wording::FR.banner(BannerText::AcceptAll), "Tout accepter");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BannerText {
    /// The consent banner's title.
    Title,
    /// The consent banner's text.
    Description,
    /// The button that accepts every category.
    AcceptAll,
    /// The button that refuses every category but the necessary one.
    AcceptNecessary,
    /// The button that opens the preferences.
    ShowPreferences,
    /// The preferences modal's title.
    PreferencesTitle,
    /// The preferences modal's text, above the categories.
    PreferencesDescription,
    /// The button that saves the preferences.
    SavePreferences,
    /// The label of the modal's close button.
    Close,
}

impl BannerText {
    /// Every banner text, in the order `[banner]` documents them.
    pub const ALL: [BannerText; 9] = [
        BannerText::Title,
        BannerText::Description,
        BannerText::AcceptAll,
        BannerText::AcceptNecessary,
        BannerText::ShowPreferences,
        BannerText::PreferencesTitle,
        BannerText::PreferencesDescription,
        BannerText::SavePreferences,
        BannerText::Close,
    ];

    /// The key of the text in `policy.toml`'s `[banner]` table.
    pub const fn key(self) -> &'static str {
        match self {
            BannerText::Title => "title",
            BannerText::Description => "description",
            BannerText::AcceptAll => "accept_all",
            BannerText::AcceptNecessary => "accept_necessary",
            BannerText::ShowPreferences => "show_preferences",
            BannerText::PreferencesTitle => "preferences_title",
            BannerText::PreferencesDescription => "preferences_description",
            BannerText::SavePreferences => "save_preferences",
            BannerText::Close => "close",
        }
    }
}
