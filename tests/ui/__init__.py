"""Tests of the app: Pilot flows, SVG snapshots, the app in a real terminal."""
