// Finds the web links in a message body: http:// and https:// only, as plain character
// ranges of the text. Nothing else is ever a link (no markup, no "javascript:", no "www."
// guessing): the body stays plain text and the delegate only underlines these ranges.
#pragma once

#include <QList>
#include <QString>
#include <QUrl>

namespace chalk::ui {

struct MessageLink {
    int start = 0; // in the text given to findLinks
    int length = 0;
    QUrl url;
};

// At most kMaxLinks links, each at most kMaxLinkLength characters (a peer writes the body).
inline constexpr int kMaxLinks = 64;
inline constexpr int kMaxLinkLength = 2048;

QList<MessageLink> findLinks(const QString &text);

} // namespace chalk::ui
