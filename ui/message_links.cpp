#include "message_links.h"

#include <QRegularExpression>

namespace chalk::ui {

namespace {
// Trailing characters that end a sentence rather than the address ("see https://x.org.").
bool isTrailingPunctuation(QChar c)
{
    return QStringView(u".,;:!?'\"*").contains(c);
}

// A closing bracket ends the link unless the link opened one itself (Wikipedia-style
// "https://en.wikipedia.org/wiki/Qt_(software)" inside "(see …)").
bool closesOutside(QStringView link, QChar close, QChar open)
{
    return link.endsWith(close) && link.count(close) > link.count(open);
}
} // namespace

QList<MessageLink> findLinks(const QString &text)
{
    // Letters and digits right before the scheme would make "xhttps://" a link: \b stops it.
    static const QRegularExpression re(QStringLiteral(R"(\bhttps?://[^\s<>"\x{2028}]+)"),
                                       QRegularExpression::CaseInsensitiveOption);
    QList<MessageLink> links;
    for (auto it = re.globalMatch(text); it.hasNext() && links.size() < kMaxLinks;) {
        const QRegularExpressionMatch m = it.next();
        QStringView link = QStringView(text).mid(m.capturedStart(), m.capturedLength());
        for (;;) {
            if (!link.isEmpty() && isTrailingPunctuation(link.back()))
                link.chop(1);
            else if (closesOutside(link, u')', u'(') || closesOutside(link, u']', u'[') ||
                     closesOutside(link, u'}', u'{'))
                link.chop(1);
            else
                break;
        }
        if (link.size() > kMaxLinkLength)
            continue;
        // Tolerant: "https://example.org/ä" is a fine address; QUrl percent-encodes it.
        const QUrl url(link.toString(), QUrl::TolerantMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            continue; // "https://" alone, or an address QUrl cannot take: left as text
        links.append({int(m.capturedStart()), int(link.size()), url});
    }
    return links;
}

} // namespace chalk::ui
