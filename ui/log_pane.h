// The Log tab: every statement sent and received, said in words ("Bob in “Team”: hi"),
// filterable, the JSON beside it on demand ("Show JSON") and the selected frame in full below,
// and "Save…" to write the whole log to a file.
#pragma once

#include "log_summary.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace chalk::client {
class LogModel;
}

namespace chalk::ui {

class LogTableModel;

class LogPane : public QWidget {
    Q_OBJECT
public:
    LogPane(client::LogModel *log, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QLineEdit *filterField() const { return m_filter; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QPushButton *saveButton() const { return m_save; }
    QCheckBox *showJsonBox() const { return m_showJson; }
    // Names rooms in the summaries.
    void setRoomNames(RoomNameLookup lookup);

public slots:
    void saveWithDialog();
    bool saveTo(const QString &path);

private:
    void showSelected();
    void updateCount();

    client::LogModel *m_log;
    LogTableModel *m_table;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QPushButton *m_save;
    QCheckBox *m_showJson;
    QLabel *m_count;
    bool m_follow = true;
};

} // namespace chalk::ui
