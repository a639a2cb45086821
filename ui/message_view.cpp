#include "message_view.h"

#include "client/message_list_model.h"
#include "message_delegate.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QIdentityProxyModel>
#include <QMenu>
#include <QScrollBar>
#include <QTimer>

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
    if (value <= bar->minimum() && bar->maximum() > 0)
        maybeFetchOlder();
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
}

void MessageView::changeEvent(QEvent *event)
{
    QListView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_delegate->clearCache();
        scheduleDelayedItemsLayout();
    }
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("Copy text"));
    if (menu.exec(event->globalPos()) == copy)
        QApplication::clipboard()->setText(
            index.data(client::MessageListModel::BodyRole).toString());
}

} // namespace chalk::ui
