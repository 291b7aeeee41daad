// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A strict INI reader and writer for cluster-run's configuration file: it keeps the line of every
// entry, so that each error can name the file, the line and the key.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The syntax, one item per line, leading and trailing blanks ignored:
//   # comment, ; comment, or an empty line
//   [name]          starts the section of the cluster `name` (1-64 of [A-Za-z0-9._-])
//   key = value     the value runs to the end of the line ('#' in it is kept); keys are
//                   lowercase letters, digits and '-'
// Entries before the first section apply to every cluster in the file. Which keys exist and how
// often each may appear is for the reader of the entries to say.
class ConfigFile
{
public:
    struct Entry
    {
        QString key;
        QString value;
        int line = 0;
    };
    struct Section
    {
        QString name;
        int line = 0;
        QList<Entry> entries;
    };

    // A file larger than this is refused: a configuration is a few kilobytes, and anything
    // bigger is the wrong file.
    static constexpr qint64 MaxSize = 1024 * 1024;
    // The most clusters ([NAME] sections) one file may hold: each runs as a process of its own.
    static constexpr int MaxSections = 64;

    // False if the file cannot be read or breaks the syntax; errors() then says why, one
    // "FILE:LINE: ..." line per mistake.
    bool load(const QString &path);

    // The path as given, for messages; directory() is absolute.
    QString path() const { return m_shownPath; }
    QString directory() const;
    const QList<Entry> &defaults() const { return m_defaults; }
    const QList<Section> &sections() const { return m_sections; }
    QStringList sectionNames() const;
    const Section *section(const QString &name) const;
    QStringList errors() const { return m_errors; }

    // The text of one section (`[name]` then `key = value` lines; no header when the name is
    // empty), which load() reads back to the same entries; empty, with *error saying which key,
    // if an entry cannot be written on one line (a line break, blanks at an end, a bad name).
    static QString format(const Section &section, QString *error);

private:
    void parseLine(const QString &line, int number);
    void addError(int line, const QString &message);

    QString m_path;
    QString m_shownPath;
    QList<Entry> m_defaults;
    QList<Section> m_sections;
    QStringList m_errors;
};
