#include "log_pane.h"

#include "client/log_model.h"
#include "log_table_model.h"
#include "notice.h"
#include "themed_icon.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace chalk::ui {

LogPane::LogPane(client::LogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
{
    setObjectName(QStringLiteral("LogPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto *top = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("LogFilter"));
    m_filter->setPlaceholderText(tr("Filter (e.g. a name, create_message, refused)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(themes::icon(QStringLiteral(":/icons/search.png"), themes::IconPlace::Pane),
                        QLineEdit::LeadingPosition);
    m_save =
        new QPushButton(themes::icon(QStringLiteral(":/icons/save.png"), themes::IconPlace::Accent),
                        tr("Save…"), this);
    m_save->setObjectName(QStringLiteral("SaveLogButton"));
    m_save->setToolTip(tr("Save the whole log to a text file"));
    // The table says what happened in words; the JSON of every row is one click away (and the
    // selected row's whole frame is always in the details below).
    m_showJson = new QCheckBox(tr("Show JSON"), this);
    m_showJson->setObjectName(QStringLiteral("LogShowJson"));
    m_showJson->setToolTip(tr("Show each statement's type and JSON beside its summary"));
    top->addWidget(m_filter, 1);
    top->addWidget(m_showJson);
    top->addWidget(m_save);
    layout->addLayout(top);

    m_table = new LogTableModel(log, this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_table);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("LogTable"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *h = m_view->horizontalHeader();
    h->setStretchLastSection(false);
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setSectionResizeMode(LogTableModel::SummaryColumn, QHeaderView::Stretch);
    // The summary needs the room: the type (call / result / error) and the JSON are details,
    // shown together on demand.
    m_view->setColumnHidden(LogTableModel::MessageColumn, true);
    m_view->setColumnHidden(LogTableModel::TypeColumn, true);
    connect(m_showJson, &QCheckBox::toggled, this, [this](bool on) {
        m_view->setColumnHidden(LogTableModel::MessageColumn, !on);
        m_view->setColumnHidden(LogTableModel::TypeColumn, !on);
        if (on)
            m_view->horizontalHeader()->resizeSection(LogTableModel::MessageColumn,
                                                      m_view->viewport()->width() * 2 / 5);
    });
    const QFontMetrics fm = m_view->fontMetrics();
    h->resizeSection(LogTableModel::TimeColumn,
                     fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
    h->resizeSection(LogTableModel::DirectionColumn,
                     fm.horizontalAdvance(QStringLiteral("⇄")) + 20);
    h->resizeSection(LogTableModel::TypeColumn,
                     fm.horizontalAdvance(QStringLiteral("result")) + 18);
    h->resizeSection(LogTableModel::NameColumn,
                     fm.horizontalAdvance(QStringLiteral("messages_listed")) + 16);

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("LogDetails"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a row to see the whole statement."));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_details->setFont(mono);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("HintLabel"));
    m_count->setTextFormat(Qt::PlainText);
    layout->addWidget(m_count);

    connect(m_save, &QPushButton::clicked, this, &LogPane::saveWithDialog);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogPane::showSelected);
    // Follow new rows while the user is at the bottom.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this](int v) { m_follow = v >= m_view->verticalScrollBar()->maximum() - 2; });
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_follow)
            m_view->verticalScrollBar()->setValue(max);
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LogPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogPane::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &LogPane::updateCount);
    updateCount();
}

void LogPane::setRoomNames(RoomNameLookup lookup)
{
    m_table->setRoomNames(std::move(lookup));
}

void LogPane::showSelected()
{
    const QModelIndex index = m_view->currentIndex();
    if (!index.isValid()) {
        m_details->clear();
        return;
    }
    const QString raw = index.siblingAtColumn(0).data(Qt::UserRole).toString();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw.toUtf8(), &error);
    m_details->setPlainText(error.error == QJsonParseError::NoError
                                ? QString::fromUtf8(doc.toJson(QJsonDocument::Indented))
                                : raw);
}

void LogPane::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int all = m_table->rowCount();
    m_count->setText(shown == all ? tr("%n statement(s)", nullptr, all)
                                  : tr("%1 of %2 statements").arg(shown).arg(all));
}

void LogPane::saveWithDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(dir).filePath(
        QStringLiteral("chalkroom-log-%1.txt")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    auto *dialog =
        new QFileDialog(this, tr("Save log"), suggested, tr("Text files (*.txt);;All files (*)"));
    dialog->setObjectName(QStringLiteral("SaveLogDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->selectFile(suggested);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        if (!path.isEmpty())
            saveTo(path);
    });
    dialog->open();
}

bool LogPane::saveTo(const QString &path)
{
    if (m_log->saveToFile(path))
        return true;
    showNotice(this, QMessageBox::Warning, tr("Log not saved"),
               tr("The log could not be written to %1.").arg(QDir::toNativeSeparators(path)));
    return false;
}

} // namespace chalk::ui
