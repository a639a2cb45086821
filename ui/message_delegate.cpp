#include "message_delegate.h"

#include "client/message_list_model.h"
#include "client/outbox.h"
#include "message_links.h"
#include "message_view.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>
#include <QToolTip>

namespace chalk::ui {

using client::MessageListModel;

namespace {
constexpr int kMarginX = 10;     // between the bubble and the view's edge
constexpr int kGapAbove = 6;     // above a bubble that starts a group
constexpr int kGapGrouped = 1;   // above a bubble that continues one
constexpr int kMarginBottom = 2; // below every bubble
constexpr int kDayPadY = 8;      // above and below a day separator's label
constexpr int kDividerPadY = 4;  // above and below the unread divider's label
constexpr int kPadX = 12;        // inside the bubble
constexpr int kPadY = 7;
constexpr int kGap = 3; // between name, body and footer
constexpr int kTickWidth = 18;
constexpr int kMaxChars = 8000; // the server limits bodies; this bounds layout cost anyway
constexpr int kQuotePad = 4;    // inside a reply's quote, around its two lines
constexpr int kQuoteBar = 3;    // the quote's bar on its left

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(std::max(7.0, base.pointSizeF() * 0.85));
    return f;
}

QFont nameFont(const QFont &base)
{
    QFont f = smallFont(base);
    f.setBold(true);
    return f;
}

// Lays out `layout` at `width`; returns the natural size.
QSize layoutBody(QTextLayout &layout, int width)
{
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.setCacheEnabled(true);
    layout.beginLayout();
    qreal height = 0;
    qreal natural = 0;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
        natural = std::max(natural, line.naturalTextWidth());
    }
    layout.endLayout();
    return {int(std::ceil(natural)), int(std::ceil(height))};
}

QString cacheKey(const QModelIndex &index)
{
    const QString uuid = index.data(MessageListModel::UuidRole).toString();
    const QString key =
        uuid.isEmpty() ? QLatin1Char('c') + index.data(MessageListModel::ClientIdRole).toString()
                       : uuid;
    // What an edit, a delete or a changed quote alters: a new size to measure.
    return key + QLatin1Char('|') +
           QString::number(
               index.data(MessageListModel::EditedAtRole).toDateTime().toMSecsSinceEpoch()) +
           QLatin1Char(index.data(MessageListModel::DeletedRole).toBool() ? 'd' : '-') +
           QString::number(qHash(MessageDelegate::quoteText(index)));
}

void drawTicks(QPainter *p, const QRectF &r, int state, const QColor &color)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(color, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p->setBrush(Qt::NoBrush);
    const qreal cy = r.center().y();
    const qreal x = r.left();
    if (state == int(client::DeliveryState::Pending)) {
        const QPointF c(x + 7, cy);
        p->drawEllipse(c, 4.5, 4.5);
        p->drawLine(c, c + QPointF(0, -3));
        p->drawLine(c, c + QPointF(2.2, 1.2));
    } else {
        QPainterPath tick;
        tick.moveTo(x + 1, cy);
        tick.lineTo(x + 4, cy + 3);
        tick.lineTo(x + 10, cy - 4);
        p->drawPath(tick);
        if (state == int(client::DeliveryState::Stored))
            p->drawPath(tick.translated(5, 0));
    }
    p->restore();
}
} // namespace

MessageDelegate::MessageDelegate(MessageView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
{}

QString MessageDelegate::displayText(const QModelIndex &index)
{
    if (index.data(MessageListModel::DeletedRole).toBool())
        return index.data(Qt::DisplayRole).toString(); // "Message deleted"
    QString body = index.data(MessageListModel::BodyRole).toString().left(kMaxChars);
    // QTextLayout does not break at '\n'; the Unicode line separator does.
    body.replace(QLatin1String("\r\n"), QString(QChar::LineSeparator));
    body.replace(QLatin1Char('\n'), QChar::LineSeparator);
    body.replace(QLatin1Char('\r'), QChar::LineSeparator);
    return body;
}

QString MessageDelegate::timeText(const QModelIndex &index)
{
    const QDateTime created = index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime();
    if (!created.isValid())
        return {};
    return QLocale().toString(created.time(), QLocale::ShortFormat);
}

QString MessageDelegate::footerText(const QModelIndex &index)
{
    const QString time = timeText(index);
    return index.data(MessageListModel::EditedRole).toBool() ? tr("(edited)") + u' ' + time : time;
}

QString MessageDelegate::quoteText(const QModelIndex &index)
{
    if (index.data(MessageListModel::ReplyToRole).toString().isEmpty())
        return {};
    if (index.data(MessageListModel::ReplyDeletedRole).toBool())
        return tr("Message deleted");
    return index.data(MessageListModel::ReplyTextRole).toString().left(kMaxChars).simplified();
}

QString MessageDelegate::fullTimeText(const QModelIndex &index)
{
    const QDateTime created = index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime();
    return created.isValid() ? QLocale().toString(created, QLocale::LongFormat) : QString();
}

QString MessageDelegate::dayLabel(QDate day, QDate today)
{
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

MessageDelegate::Decorations MessageDelegate::decorations(const QModelIndex &index) const
{
    Decorations d;
    const QString anchor = m_view->unreadAnchor();
    d.unreadDivider =
        !anchor.isEmpty() && index.data(MessageListModel::UuidRole).toString() == anchor;
    const QDateTime created = index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime();
    const QModelIndex above = index.row() > 0 ? index.siblingAtRow(index.row() - 1) : QModelIndex();
    if (!above.isValid()) {
        // The top row starts its day only when nothing older is left to load; otherwise its
        // separator would vanish with the next page and shift the row the reader is on.
        const client::MessageListModel *model = m_view->messageModel();
        d.dayHeader = created.isValid() && !(model && model->hasMore());
        return d;
    }
    const QDateTime before = above.data(MessageListModel::CreatedRole).toDateTime().toLocalTime();
    d.dayHeader = created.isValid() && (!before.isValid() || before.date() != created.date());
    if (d.dayHeader || d.unreadDivider || !created.isValid() || !before.isValid())
        return d;
    const QString sender = index.data(MessageListModel::SenderUuidRole).toString();
    const bool sameSender = sender.isEmpty()
                                ? index.data(MessageListModel::SenderNameRole) ==
                                      above.data(MessageListModel::SenderNameRole)
                                : sender == above.data(MessageListModel::SenderUuidRole).toString();
    // A pending message carries this machine's queue time: allow its clock a little skew.
    const qint64 apart = before.secsTo(created);
    d.grouped = sameSender && apart >= -60 && apart <= kGroupSeconds;
    return d;
}

int MessageDelegate::maxBubbleWidth() const
{
    const int w = m_view->viewport()->width() - 2 * kMarginX;
    return std::max(120, std::min(w, std::max(220, int(w * 0.75))));
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option,
                                                    const QModelIndex &index) const
{
    ++m_layouts;
    Geometry g;
    g.decor = decorations(index);
    const bool own = index.data(MessageListModel::OwnRole).toBool();
    const QFontMetrics small(smallFont(option.font));
    const QFontMetrics label(nameFont(option.font));
    if (g.decor.dayHeader)
        g.dayHeight = label.height() + 2 * kDayPadY;
    if (g.decor.unreadDivider)
        g.dividerHeight = label.height() + 2 * kDividerPadY;
    g.top = (g.decor.grouped ? kGapGrouped : kGapAbove) + g.dayHeight + g.dividerHeight;

    const int inner = maxBubbleWidth() - 2 * kPadX;
    QTextLayout layout(displayText(index), option.font);
    const QSize body = layoutBody(layout, inner);
    g.bodyHeight = body.height();
    int width = body.width();
    if (!own && !g.decor.grouped) {
        g.nameHeight = label.height();
        width = std::max(
            width, std::min(inner, label.horizontalAdvance(
                                       index.data(MessageListModel::SenderNameRole).toString())));
    }
    const QString quote = quoteText(index);
    if (!quote.isEmpty()) {
        g.quoteHeight = 2 * small.height() + 2 * kQuotePad;
        const int sender = label.horizontalAdvance(
            index.data(MessageListModel::ReplySenderRole).toString().simplified());
        width = std::max(width, std::min(inner, std::max(sender, small.horizontalAdvance(quote)) +
                                                    kQuoteBar + 2 * kQuotePad + 2));
    }
    const int footer = small.horizontalAdvance(footerText(index)) + (own ? kTickWidth + 4 : 0);
    width = std::max(width, footer);
    const int height = kPadY + (g.nameHeight ? g.nameHeight + kGap : 0) +
                       (g.quoteHeight ? g.quoteHeight + kGap : 0) + g.bodyHeight + kGap +
                       small.height() + kPadY;
    g.bubble = QSize(std::min(inner, width) + 2 * kPadX, height);
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = m_view->viewport()->width();
    const QString key = cacheKey(index);
    const int decor = decorations(index).bits();
    auto it = m_sizes.constFind(key);
    if (it != m_sizes.constEnd() && it->width == width && it->decor == decor)
        return it->size;

    const Geometry g = geometry(option, index);
    const QSize size(width, g.top + g.bubble.height() + kMarginBottom);
    m_sizes.insert(key, {width, decor, size});
    return size;
}

QRect MessageDelegate::bubbleRect(const QRect &row, const Geometry &g, bool own) const
{
    const int x = own ? row.right() - kMarginX - g.bubble.width() : row.left() + kMarginX;
    return {QPoint(x, row.top() + g.top), g.bubble};
}

QRect MessageDelegate::bubbleRect(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    return bubbleRect(option.rect, geometry(option, index),
                      index.data(MessageListModel::OwnRole).toBool());
}

QPointF MessageDelegate::layoutBodyAt(QTextLayout &layout, const QStyleOptionViewItem &option,
                                      const QModelIndex &index, const Geometry &g) const
{
    layoutBody(layout, maxBubbleWidth() - 2 * kPadX);
    const QRect bubble = bubbleRect(option.rect, g, index.data(MessageListModel::OwnRole).toBool());
    return QPointF(bubble.left() + kPadX, bubble.top() + kPadY +
                                              (g.nameHeight ? g.nameHeight + kGap : 0) +
                                              (g.quoteHeight ? g.quoteHeight + kGap : 0));
}

QUrl MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                             QPoint pos) const
{
    const QString text = displayText(index);
    const QList<MessageLink> links = findLinks(text);
    if (links.isEmpty())
        return {};
    const Geometry g = geometry(option, index);
    QTextLayout layout(text, option.font);
    const QPointF origin = layoutBodyAt(layout, option, index, g);
    const QPointF local = QPointF(pos) - origin;
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + line.height())
            continue;
        if (local.x() < line.x() || local.x() > line.x() + line.naturalTextWidth())
            return {};
        const int at = line.xToCursor(local.x(), QTextLine::CursorOnCharacter);
        for (const MessageLink &link : links) {
            if (at >= link.start && at < link.start + link.length)
                return link.url;
        }
        return {};
    }
    return {};
}

QRect MessageDelegate::textRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                int from, int length) const
{
    const QString text = displayText(index);
    if (from < 0 || length <= 0 || from + length > text.size())
        return {};
    const Geometry g = geometry(option, index);
    QTextLayout layout(text, option.font);
    const QPointF origin = layoutBodyAt(layout, option, index, g);
    const QTextLine line = layout.lineForTextPosition(from);
    if (!line.isValid())
        return {};
    const qreal x1 = line.cursorToX(from);
    const qreal x2 = line.cursorToX(std::min(from + length, line.textStart() + line.textLength()));
    return QRectF(origin + QPointF(x1, line.y()), QSizeF(x2 - x1, line.height())).toRect();
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QRect bubble = bubbleRect(option, index);
    QString text = fullTimeText(index);
    if (!bubble.contains(event->pos()) || text.isEmpty()) {
        QToolTip::hideText();
        return true;
    }
    // The address that a click opens, encoded: no look-alike letters, never markup.
    const QUrl link = linkAt(option, index, event->pos());
    if (link.isValid())
        text += QLatin1Char('\n') + QString::fromLatin1(link.toEncoded());
    QToolTip::showText(event->globalPos(), text, view->viewport(), bubble);
    return true;
}

void MessageDelegate::paintDecorations(QPainter *p, const QStyleOptionViewItem &option,
                                       const QModelIndex &index, const Geometry &g) const
{
    const QRect row = option.rect;
    const QFont font = nameFont(option.font);
    const QFontMetrics fm(font);
    p->setFont(font);
    int y = row.top() + (g.decor.grouped ? kGapGrouped : kGapAbove);
    const int left = row.left() + kMarginX;
    const int right = row.right() - kMarginX;
    if (g.decor.dayHeader) {
        const QDate day =
            index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime().date();
        const QString label = dayLabel(day);
        const int w = fm.horizontalAdvance(label) + 24;
        const int cy = y + g.dayHeight / 2;
        const int cx = (left + right) / 2;
        QColor rule = m_view->metaColor();
        rule.setAlpha(90);
        // Filled rectangles, not antialiased lines: crisp one-pixel rules.
        p->fillRect(QRect(left, cy, cx - w / 2 - left, 1), rule);
        p->fillRect(QRect(cx + w / 2, cy, right - cx - w / 2, 1), rule);
        p->setPen(m_view->metaColor());
        p->drawText(QRect(cx - w / 2, y, w, g.dayHeight), Qt::AlignCenter, label);
        y += g.dayHeight;
    }
    if (g.decor.unreadDivider) {
        const QString label = tr("Unread");
        const int w = fm.horizontalAdvance(label);
        const int cy = y + g.dividerHeight / 2;
        p->fillRect(QRect(left, cy - 1, right - w - 8 - left, 2), m_view->accentColor());
        p->setPen(m_view->accentColor());
        p->drawText(QRect(right - w, y, w, g.dividerHeight), Qt::AlignRight | Qt::AlignVCenter,
                    label);
    }
}

void MessageDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const bool own = index.data(MessageListModel::OwnRole).toBool();
    const Geometry g = geometry(option, index);
    const QRect bubble = bubbleRect(option.rect, g, own);
    const QColor fill = own ? m_view->ownBubbleColor() : m_view->otherBubbleColor();
    const QColor text = own ? m_view->ownTextColor() : m_view->otherTextColor();
    const QColor meta = own ? m_view->ownTextColor() : m_view->metaColor();

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    if (g.decor.dayHeader || g.decor.unreadDivider)
        paintDecorations(p, option, index, g);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(bubble, 10, 10);

    const int inner = bubble.width() - 2 * kPadX;
    if (g.nameHeight) {
        const QFont f = nameFont(option.font);
        const QFontMetrics fm(f);
        p->setFont(f);
        p->setPen(m_view->accentColor());
        const QString name = index.data(MessageListModel::SenderNameRole).toString().simplified();
        p->drawText(QRect(bubble.left() + kPadX, bubble.top() + kPadY, inner, fm.height()),
                    Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideRight, inner));
    }

    if (g.quoteHeight) {
        // The quote: a tinted block with a bar, the quoted sender and one elided line.
        const QRect quote(bubble.left() + kPadX,
                          bubble.top() + kPadY + (g.nameHeight ? g.nameHeight + kGap : 0), inner,
                          g.quoteHeight);
        QColor tint = text;
        tint.setAlpha(28);
        p->setPen(Qt::NoPen);
        p->setBrush(tint);
        p->drawRoundedRect(quote, 4, 4);
        p->fillRect(QRect(quote.left(), quote.top(), kQuoteBar, quote.height()),
                    own ? meta : m_view->accentColor());
        const QFont nf = nameFont(option.font);
        const QFont sf = smallFont(option.font);
        const QFontMetrics nfm(nf), sfm(sf);
        const int x = quote.left() + kQuoteBar + kQuotePad;
        const int w = quote.right() - kQuotePad - x;
        p->setFont(nf);
        p->setPen(own ? text : m_view->accentColor());
        const QString sender =
            index.data(MessageListModel::ReplySenderRole).toString().simplified();
        p->drawText(QRect(x, quote.top() + kQuotePad, w, sfm.height()),
                    Qt::AlignLeft | Qt::AlignVCenter, nfm.elidedText(sender, Qt::ElideRight, w));
        QFont qf = sf;
        qf.setItalic(index.data(MessageListModel::ReplyDeletedRole).toBool());
        p->setFont(qf);
        p->setPen(meta);
        p->drawText(QRect(x, quote.top() + kQuotePad + sfm.height(), w, sfm.height()),
                    Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(qf).elidedText(quoteText(index), Qt::ElideRight, w));
    }

    const bool deleted = index.data(MessageListModel::DeletedRole).toBool();
    const QString body = displayText(index);
    QFont bodyFont = option.font;
    bodyFont.setItalic(deleted);
    QTextLayout layout(body, bodyFont);
    // Links: the same plain characters, underlined (in the text's colour, so its contrast
    // with the bubble holds in every theme).
    QList<QTextLayout::FormatRange> formats;
    for (const MessageLink &link : findLinks(body)) {
        QTextLayout::FormatRange range;
        range.start = link.start;
        range.length = link.length;
        range.format.setFontUnderline(true);
        formats.append(range);
    }
    layout.setFormats(formats);
    const QPointF origin = layoutBodyAt(layout, option, index, g);
    p->setPen(deleted ? meta : text);
    layout.draw(p, origin);
    const int y = int(origin.y()) + g.bodyHeight + kGap;

    const QFont small = smallFont(option.font);
    const QFontMetrics fms(small);
    p->setFont(small);
    p->setPen(meta);
    int right = bubble.right() - kPadX;
    if (own) {
        const int state = index.data(MessageListModel::StateRole).toInt();
        drawTicks(p, QRectF(right - kTickWidth, y, kTickWidth, fms.height()), state, meta);
        right -= kTickWidth + 4;
    }
    p->drawText(QRect(bubble.left() + kPadX, y, right - bubble.left() - kPadX, fms.height()),
                Qt::AlignRight | Qt::AlignVCenter, footerText(index));
    p->restore();
}

} // namespace chalk::ui
