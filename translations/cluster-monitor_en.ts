<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Monitor::ClusterSource</name>
    <message numerus="yes">
        <source>message sent to %n worker(s): %1</source>
        <translation>
            <numerusform>message sent to %n worker: %1</numerusform>
            <numerusform>message sent to %n workers: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>keeps %n worker(s)</source>
        <translation>
            <numerusform>keeps %n worker</numerusform>
            <numerusform>keeps %n workers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Monitor::HeadlessRunner</name>
    <message numerus="yes">
        <source>starting %n worker(s) of %1 (policy %2); Ctrl-C stops them</source>
        <translation>
            <numerusform>starting %n worker of %1 (policy %2); Ctrl-C stops it</numerusform>
            <numerusform>starting %n workers of %1 (policy %2); Ctrl-C stops them</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) alive</source>
        <translation>
            <numerusform>%n worker alive</numerusform>
            <numerusform>%n workers alive</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Monitor::MainWindow</name>
    <message numerus="yes">
        <source>new cluster: %n worker(s) of %1</source>
        <translation>
            <numerusform>new cluster: %n worker of %1</numerusform>
            <numerusform>new cluster: %n workers of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent to %n worker(s).</source>
        <translation>
            <numerusform>Sent to %n worker.</numerusform>
            <numerusform>Sent to %n workers.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n worker(s)</source>
        <translation>
            <numerusform>%1 of %n worker</numerusform>
            <numerusform>%1 of %n workers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n crashed</source>
        <translation>
            <numerusform>%n crashed</numerusform>
            <numerusform>%n crashed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Monitor::NewClusterDialog</name>
    <message numerus="yes">
        <source>How many workers to fork at the start (this machine has %n core(s))</source>
        <translation>
            <numerusform>How many workers to fork at the start (this machine has %n core)</numerusform>
            <numerusform>How many workers to fork at the start (this machine has %n cores)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Monitor::RequestChart</name>
    <message numerus="yes">
        <source>last %n minute(s)</source>
        <translation>
            <numerusform>last minute</numerusform>
            <numerusform>last %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
</context>
</TS>
