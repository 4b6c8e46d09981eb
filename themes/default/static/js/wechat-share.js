/*
 * WeChat share card (gongjian_site.wechat): inside WeChat's browser, asks this site to
 * sign the page's address, hands the signature to wx.config, then sets the card that
 * 发送给朋友 and 分享到朋友圈 show: the page's own title, description and picture (the
 * include copies them from the og: card into #wechat-share's data- attributes).
 *
 * Why a request and not a value in the page: the signature is for one address and one
 * moment, while the page's HTML is cached for every anonymous reader. Why only inside
 * WeChat: elsewhere wx.config has no bridge to talk to, so asking would be wasted.
 * Plain ES5 and XMLHttpRequest: WeChat's older Android browsers lack newer syntax.
 */
(function () {
    "use strict";
    var element = document.getElementById("wechat-share");
    var wx = window.wx;
    if (!element || !wx || !/MicroMessenger/i.test(navigator.userAgent)) {
        return;
    }
    var data = element.dataset;
    var address = window.location.href.split("#")[0];
    var card = {
        title: data.title || document.title,
        desc: data.description || "",
        link: data.link || address,
        imgUrl: data.image || ""
    };
    var request = new XMLHttpRequest();
    request.open("GET", data.configUrl + "?url=" + encodeURIComponent(address));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
        var config;
        if (request.status !== 200) {
            return; // not configured or WeChat unreachable: WeChat's default card stays
        }
        try {
            config = JSON.parse(request.responseText);
        } catch (error) {
            return;
        }
        if (!config.signature) {
            return;
        }
        wx.config({
            debug: false,
            appId: config.appId,
            timestamp: config.timestamp,
            nonceStr: config.nonceStr,
            signature: config.signature,
            jsApiList: config.jsApiList
        });
        wx.ready(function () {
            wx.updateAppMessageShareData(card);
            wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
        });
    };
    request.send();
})();
