"""Indicator scores for the small project of conftest: indicators in the additive form and valid
scores, shared by the tests of reading them and of publishing them."""

SCORES = "2020-2021/indicator-scores.yaml"
"""The scores file, under data/."""

ADDITIVE = """\
- name: 联盟组织机构建设与运行
  max: 20
  items:
    - {name: 理事会会议, max: 10}
    - {name: 成员大会, max: 10}
- name: 联盟协同创新活动
  max: 50
  items: [{name: 自设协同创新项目, max: 25}, {name: 制定技术标准, max: 25}]
- name: 联盟带动产业发展成效
  max: 30
  items: [{name: 形成产业技术创新链, max: 30}]
"""
"""Three indicators worth 20, 50 and 30 points, five items."""

VALID_SCORES = """\
scores:
  "110": 10 10 / 25 25 / 30
  "104": 8 6 / 20 18 / 20
"""
"""110 scores 100 and 104 scores 72 (results.yaml); 233 has a tier only."""
