#include "message_view.h"

#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "message_delegate.h"
#include "unread_divider.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QIdentityProxyModel>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <memory>

namespace chalk::ui {

// The message model pages at the TOP (older history). QAbstractItemView calls fetchMore by
// itself whenever the last row is visible, i.e. whenever the user is at the bottom, which
// would load the whole history page by page. This proxy hides canFetchMore from the view;
// MessageView asks for older pages itself, when scrolled to the top.
class HistoryProxy : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
};

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
    , m_newButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("MessageList"));
    setItemDelegate(m_delegate);
    setSelectionMode(QAbstractItemView::NoSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there, so the width never changes when the first long page arrives: a width
    // change re-measures every bubble (measured: it doubled the layout cost).
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setFocusPolicy(Qt::NoFocus);
    setAccessibleName(tr("Messages"));
    verticalScrollBar()->setSingleStep(24);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onValueChanged);
    connect(this, &MessageView::colorsChanged, viewport(), qOverload<>(&QWidget::update));
    viewport()->setMouseTracking(true); // the hand cursor over links

    // A child of the view, not of the viewport: the viewport's children scroll with it.
    m_newButton->setObjectName(QStringLiteral("NewMessagesButton"));
    m_newButton->setCursor(Qt::PointingHandCursor);
    m_newButton->setFocusPolicy(Qt::NoFocus);
    m_newButton->setToolTip(tr("Go to the newest message"));
    m_newButton->hide();
    connect(m_newButton, &QPushButton::clicked, this, [this] {
        followBottom();
        setNewBelow(0);
    });
}

MessageView::~MessageView() = default;

void MessageView::setMessageModel(client::MessageListModel *model)
{
    m_messages = model;
    if (!m_proxy)
        m_proxy = new HistoryProxy(this);
    m_proxy->setSourceModel(model);
    setModel(m_proxy);
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this,
            &MessageView::onAboutToInsert);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        // Another room: start at the bottom, forget the old rooms' bubble sizes.
        m_delegate->clearCache();
        m_stickToBottom = true;
        m_prependPending = false;
    });
    connect(model, &client::MessageListModel::pagePrepended, this,
            [this] { QTimer::singleShot(0, this, &MessageView::maybeFetchOlder); });
    connect(model, &client::MessageListModel::messagesAppended, this, &MessageView::onAppended);
    connect(model, &QAbstractItemModel::modelReset, this, [this] { setNewBelow(0); });
    // An edit, a delete or a quote that changed: the bubble's size may too (the delegate's
    // cache is keyed by what it shows), so the rows are laid out again.
    connect(model, &QAbstractItemModel::dataChanged, this, [this] {
        scheduleDelayedItemsLayout();
        viewport()->update();
    });

    delete m_unread;
    m_unread = new UnreadDivider(model, this);
    m_unread->setInView(isInView());
    connect(m_unread, &UnreadDivider::changed, this, [this] {
        // Row heights change (the sizes cache is keyed by them): lay the rows out again.
        scheduleDelayedItemsLayout();
        viewport()->update();
    });
}

void MessageView::setRoomModel(client::RoomListModel *rooms)
{
    if (m_unread)
        m_unread->setRoomModel(rooms);
}

QString MessageView::unreadAnchor() const
{
    return m_unread ? m_unread->anchor() : QString();
}

int MessageView::unreadRow() const
{
    return m_unread ? m_unread->row() : -1;
}

bool MessageView::isInView() const
{
    return isVisible() && isActiveWindow();
}

void MessageView::updateInView()
{
    if (m_unread)
        m_unread->setInView(isInView());
}

QStyleOptionViewItem MessageView::optionFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return option;
}

QUrl MessageView::linkAt(QPoint pos) const
{
    const QModelIndex index = indexAt(pos);
    return index.isValid() ? m_delegate->linkAt(optionFor(index), index, pos) : QUrl();
}

QRect MessageView::textRect(int row, int from, int length) const
{
    const QModelIndex index = model() ? model()->index(row, 0) : QModelIndex();
    return index.isValid() ? m_delegate->textRect(optionFor(index), index, from, length) : QRect();
}

QRect MessageView::bubbleRect(int row) const
{
    const QModelIndex index = model() ? model()->index(row, 0) : QModelIndex();
    return index.isValid() ? m_delegate->bubbleRect(optionFor(index), index) : QRect();
}

QModelIndex MessageView::sourceIndex(int row) const
{
    return m_proxy ? m_proxy->mapToSource(m_proxy->index(row, 0)) : QModelIndex();
}

bool MessageView::isAtBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void MessageView::followBottom()
{
    m_stickToBottom = true;
    m_prependPending = false;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void MessageView::onAboutToInsert(const QModelIndex &, int first, int)
{
    const QScrollBar *bar = verticalScrollBar();
    if (first == 0 && model()->rowCount() > 0 && !m_stickToBottom) {
        // Older messages go on top: keep the distance to the bottom, so what the user
        // was reading stays where it is.
        m_prependPending = true;
        m_fromBottom = bar->maximum() - bar->value();
    }
}

void MessageView::onRangeChanged(int, int max)
{
    QScrollBar *bar = verticalScrollBar();
    if (m_prependPending) {
        m_prependPending = false;
        bar->setValue(max - m_fromBottom);
    } else if (m_stickToBottom) {
        bar->setValue(max);
    }
    if (max == 0) // everything fits: there is nothing to scroll up to, so load more now
        QTimer::singleShot(0, this, &MessageView::maybeFetchOlder);
}

void MessageView::onValueChanged(int value)
{
    const QScrollBar *bar = verticalScrollBar();
    m_stickToBottom = value >= bar->maximum() - 4;
    if (m_stickToBottom)
        setNewBelow(0); // scrolled down to them: nothing new below any more
    if (value <= bar->minimum() && bar->maximum() > 0)
        maybeFetchOlder();
}

void MessageView::onAppended(int first, int last)
{
    if (m_stickToBottom)
        return; // followed: they are in sight
    int others = 0;
    for (int row = first; row <= last; ++row)
        others += !m_messages->index(row).data(client::MessageListModel::OwnRole).toBool();
    if (others)
        setNewBelow(m_newBelow + others);
}

void MessageView::setNewBelow(int count)
{
    m_newBelow = count;
    if (count <= 0) {
        m_newButton->hide();
        return;
    }
    m_newButton->setText(count == 1 ? tr("1 new message ↓") : tr("%1 new messages ↓").arg(count));
    m_newButton->adjustSize();
    placeNewButton();
    m_newButton->show();
    m_newButton->raise();
}

void MessageView::placeNewButton()
{
    const QRect area = viewport()->geometry();
    const QSize size = m_newButton->sizeHint();
    m_newButton->setGeometry(area.center().x() - size.width() / 2,
                             area.bottom() - size.height() - 12, size.width(), size.height());
}

void MessageView::maybeFetchOlder()
{
    if (!m_messages || !m_messages->canFetchMore())
        return;
    const QScrollBar *bar = verticalScrollBar();
    if (bar->maximum() > 0 && bar->value() > bar->minimum())
        return;
    ++m_olderRequests;
    m_messages->fetchMore();
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    const bool atBottom = m_stickToBottom;
    QListView::resizeEvent(event);
    m_stickToBottom = atBottom;
    placeNewButton();
}

void MessageView::changeEvent(QEvent *event)
{
    QListView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_delegate->clearCache();
        scheduleDelayedItemsLayout();
    }
}

bool MessageView::event(QEvent *event)
{
    // The window became active or not (another window, minimised): sent down to the visible
    // children, unlike ActivationChange.
    if (event->type() == QEvent::WindowActivate || event->type() == QEvent::WindowDeactivate)
        updateInView();
    return QListView::event(event);
}

void MessageView::showEvent(QShowEvent *event)
{
    QListView::showEvent(event);
    updateInView();
}

void MessageView::hideEvent(QHideEvent *event)
{
    QListView::hideEvent(event);
    updateInView();
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    m_pressedLink =
        event->button() == Qt::LeftButton ? linkAt(event->position().toPoint()) : QUrl();
    QListView::mousePressEvent(event);
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    if (linkAt(event->position().toPoint()).isValid())
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QListView::mouseMoveEvent(event);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    QListView::mouseReleaseEvent(event);
    const QUrl pressed = std::exchange(m_pressedLink, QUrl());
    // Opened only when pressed and released on the same link (a drag off it cancels).
    if (event->button() != Qt::LeftButton || !pressed.isValid() ||
        linkAt(event->position().toPoint()) != pressed)
        return;
    QDesktopServices::openUrl(pressed);
    emit linkOpened(pressed);
}

QMenu *MessageView::messageMenu(const QModelIndex &index, const QUrl &link)
{
    using Model = client::MessageListModel;
    auto *menu = new QMenu(this);
    const QPersistentModelIndex source =
        m_proxy ? QPersistentModelIndex(sourceIndex(index.row())) : QPersistentModelIndex(index);
    const bool stored = !index.data(Model::UuidRole).toString().isEmpty();
    const bool deleted = index.data(Model::DeletedRole).toBool();
    if (m_messageActions && stored && !deleted) {
        QAction *reply = menu->addAction(tr("Reply"));
        reply->setObjectName(QStringLiteral("ReplyAction"));
        connect(reply, &QAction::triggered, this, [this, source] {
            if (source.isValid())
                emit replyRequested(source);
        });
        if (index.data(Model::OwnRole).toBool()) {
            QAction *edit = menu->addAction(tr("Edit"));
            edit->setObjectName(QStringLiteral("EditAction"));
            connect(edit, &QAction::triggered, this, [this, source] {
                if (source.isValid())
                    emit editRequested(source);
            });
            QAction *remove = menu->addAction(tr("Delete…"));
            remove->setObjectName(QStringLiteral("DeleteAction"));
            connect(remove, &QAction::triggered, this, [this, source] {
                if (source.isValid())
                    emit deleteRequested(source);
            });
        }
        menu->addSeparator();
    }
    if (link.isValid()) {
        connect(menu->addAction(tr("Open link")), &QAction::triggered, this, [this, link] {
            QDesktopServices::openUrl(link);
            emit linkOpened(link);
        });
        connect(menu->addAction(tr("Copy link address")), &QAction::triggered, this, [link] {
            QApplication::clipboard()->setText(QString::fromLatin1(link.toEncoded()));
        });
    }
    if (!deleted) {
        const QString body = index.data(Model::BodyRole).toString();
        connect(menu->addAction(tr("Copy text")), &QAction::triggered, this,
                [body] { QApplication::clipboard()->setText(body); });
    }
    return menu;
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    // The Menu key (or Shift+F10) opens the menu of the current message, under it.
    const bool byKey = event->reason() == QContextMenuEvent::Keyboard;
    const QModelIndex index = byKey ? currentIndex() : indexAt(event->pos());
    if (!index.isValid())
        return;
    const QPoint at = byKey ? visualRect(index).center() : event->pos();
    std::unique_ptr<QMenu> menu(messageMenu(index, byKey ? QUrl() : linkAt(at)));
    if (!menu->isEmpty())
        menu->exec(viewport()->mapToGlobal(at));
}

} // namespace chalk::ui
